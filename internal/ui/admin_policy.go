package ui

import (
	"context"
	"math"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"servicehall/internal/hall"
)

// --- 营业厅: 服务规则 (clauses 4.1.7, 4.1.9) ------------------------------------

// adminPolicy is the hall's queue and service rules (hall.Policy but its
// opening hours), saved with the hours in one SavePolicy: the hall checks
// them together and keeps all or none.
type adminPolicy struct {
	priorityRun    *widget.Entry // 次
	noShowRecalls  *widget.Entry // 次
	allowRequeue   *widget.Check
	apologyService *widget.Entry // 分钟
	apologyWait    *widget.Entry // 分钟
	ratingWindow   *widget.Entry // 秒; 0 is the hall's default
	savePolicyBtn  *widget.Button
}

// policyField is one rule's entry with its unit after it.
func policyField(unit string) (*widget.Entry, fyne.CanvasObject) {
	e := widget.NewEntry()
	return e, container.NewBorder(nil, nil, nil, widget.NewLabel(unit), e)
}

func (a *admin) buildPolicySection() fyne.CanvasObject {
	p := &a.adminPolicy
	var run, recalls, service, wait, rating fyne.CanvasObject
	p.priorityRun, run = policyField(T("次"))
	p.noShowRecalls, recalls = policyField(T("次"))
	p.apologyService, service = policyField(T("分钟"))
	p.apologyWait, wait = policyField(T("分钟"))
	p.ratingWindow, rating = policyField(T("秒"))
	p.allowRequeue = widget.NewCheck(T("允许过号客户重新排队一次"), nil)
	form := widget.NewForm(
		widget.NewFormItem(T("连续优先呼叫上限"), run),
		widget.NewFormItem(T("过号前须重呼"), recalls),
		widget.NewFormItem(T("过号重排"), p.allowRequeue),
		widget.NewFormItem(T("办理超时致歉"), service),
		widget.NewFormItem(T("等候超时致歉"), wait),
		widget.NewFormItem(T("评价等待时间"), rating),
	)
	form.Items[0].HintText = T("有普通号等候时，一个窗口最多连续呼叫几位敬老/助残优先号（1到20）")
	form.Items[1].HintText = T("呼叫后至少重呼几次才能按过号（0到10）")
	form.Items[2].HintText = T("过号的客户回来后，营业员可在呼叫器上为其重新排队，每个号码一次")
	form.Items[3].HintText = T("上一位客户办理超过此时长，呼叫下一位时提示营业员致歉")
	form.Items[4].HintText = T("客户等候超过此时长，呼叫时提示营业员致歉")
	form.Items[5].HintText = Tf("服务结束后客户可以评价的时间，超时记为未评价；填0按默认%d秒，最长600秒", int(hall.DefaultRatingWindow/time.Second))
	return section(T("服务规则"), form)
}

// fillPolicy puts the hall's rules in the form. UI thread.
func (a *admin) fillPolicy(p hall.Policy) {
	r := &a.adminPolicy
	r.priorityRun.SetText(strconv.Itoa(p.MaxPriorityRun))
	r.noShowRecalls.SetText(strconv.Itoa(p.NoShowAfterRecalls))
	r.allowRequeue.SetChecked(p.AllowRequeue)
	r.apologyService.SetText(formatMinutes(p.ApologyAfterService))
	r.apologyWait.SetText(formatMinutes(p.ApologyAfterWait))
	r.ratingWindow.SetText(strconv.Itoa(int(p.RatingWindow / time.Second)))
}

// formatMinutes shows a duration in minutes, with a fraction only when it
// has one, so that saving the form unchanged keeps it.
func formatMinutes(d time.Duration) string {
	if d%time.Minute == 0 {
		return strconv.Itoa(int(d / time.Minute))
	}
	return strconv.FormatFloat(d.Minutes(), 'f', -1, 64)
}

// readPolicy reads the form's rules into p. The window checks only that
// each is a number; their bounds are the hall's (Policy.Validate), whose
// refusal names them. On a field it cannot read it returns that entry and
// what to say.
func (a *admin) readPolicy(p hall.Policy) (hall.Policy, *widget.Entry, string) {
	r := &a.adminPolicy
	whole := func(e *widget.Entry, label string) (int, string) {
		n, err := strconv.Atoi(strings.TrimSpace(e.Text))
		if err != nil {
			return 0, Tf("「%s」须填写整数", label)
		}
		return n, ""
	}
	minutes := func(e *widget.Entry, label string) (time.Duration, string) {
		f, err := strconv.ParseFloat(strings.TrimSpace(e.Text), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 100000 {
			return 0, Tf("「%s」须填写分钟数", label)
		}
		return time.Duration(f * float64(time.Minute)).Round(time.Second), ""
	}
	var msg string
	if p.MaxPriorityRun, msg = whole(r.priorityRun, T("连续优先呼叫上限")); msg != "" {
		return p, r.priorityRun, msg
	}
	if p.NoShowAfterRecalls, msg = whole(r.noShowRecalls, T("过号前须重呼")); msg != "" {
		return p, r.noShowRecalls, msg
	}
	if p.ApologyAfterService, msg = minutes(r.apologyService, T("办理超时致歉")); msg != "" {
		return p, r.apologyService, msg
	}
	if p.ApologyAfterWait, msg = minutes(r.apologyWait, T("等候超时致歉")); msg != "" {
		return p, r.apologyWait, msg
	}
	secs, msg := whole(r.ratingWindow, T("评价等待时间"))
	if msg != "" {
		return p, r.ratingWindow, msg
	}
	p.RatingWindow = time.Duration(secs) * time.Second
	p.AllowRequeue = r.allowRequeue.Checked
	return p, nil, ""
}

// onSavePolicy saves the opening hours and the service rules together;
// with 按营业时间出号 unticked, the hall keeps no hours.
func (a *admin) onSavePolicy() {
	var hours []string
	if a.hoursOn.Checked {
		var bad int
		if hours, bad = readHours(a.hours); bad >= 0 {
			a.showProblem(badHoursText(bad))
			a.win.Canvas().Focus(a.hours[bad])
			return
		}
	}
	// Read on the UI thread; the hall's fresh copy below only keeps rules
	// this form does not know of.
	form, badField, msg := a.readPolicy(hall.Policy{})
	if badField != nil {
		a.showProblem(msg)
		a.win.Canvas().Focus(badField)
		return
	}
	p := a.data.cfg.Policy
	a.act(func(ctx context.Context, svc hall.Service, tok hall.Token) (func(), error) {
		if cfg, err := svc.Config(ctx); err == nil {
			p = cfg.Policy
		}
		p.MaxPriorityRun, p.NoShowAfterRecalls, p.AllowRequeue = form.MaxPriorityRun, form.NoShowAfterRecalls, form.AllowRequeue
		p.ApologyAfterService, p.ApologyAfterWait, p.RatingWindow = form.ApologyAfterService, form.ApologyAfterWait, form.RatingWindow
		p.OpenHours = hours
		saved, err := svc.SavePolicy(ctx, tok, p)
		return func() {
			for i, e := range a.hours {
				if i < len(saved.OpenHours) {
					e.SetText(saved.OpenHours[i])
				}
			}
			a.hoursOn.SetChecked(len(saved.OpenHours) > 0)
			a.fillPolicy(saved)
			a.showNote(T("营业时间和服务规则已保存"))
		}, err
	})
}
