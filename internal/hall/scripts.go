package hall

import "strings"

// Scripts are the words of the service standard that the clerk's window
// prompts (clauses 4.1.15–4.1.22). They are data the hall can edit; these
// defaults follow the standard's own phrasing. Templates take {item},
// {amount}, {assignee} and {due}.
type Scripts struct {
	Greeting      string `json:"greeting"`       // on call, 4.1.15
	GreetReminder string `json:"greet_reminder"` // what the clerk does while greeting
	Apology       string `json:"apology"`        // after a long wait or a long previous service, 4.1.7
	Receive       string `json:"receive"`        // a document received, 4.1.17: {item}
	Return        string `json:"return"`         // a document handed back: {item}
	CashReceived  string `json:"cash_received"`  // 唱收: {amount}
	CashChange    string `json:"cash_change"`    // 唱付: {amount}
	Refusal       string `json:"refusal"`        // a request against policy, 4.1.20
	Escalation    string `json:"escalation"`     // what the clerk tells the customer, 4.1.19: {assignee} {due}
	ProxyConfirm  string `json:"proxy_confirm"`  // asking a customer to confirm 代办, 4.1.8
	Farewell      string `json:"farewell"`       // on finish, 4.1.22

	// RefusalByType replaces Refusal for a business type.
	RefusalByType map[string]string `json:"refusal_by_type,omitempty"`
	// Materials lists, per business type code, the documents to receive.
	Materials map[string][]string `json:"materials,omitempty"`
}

// DefaultScripts are a new hall's scripts.
func DefaultScripts() Scripts {
	return Scripts{
		Greeting:      "您好！请坐。",
		GreetReminder: "请起立，面带微笑，示意客户就座。",
		Apology:       "让您久等了，非常抱歉！",
		Receive:       "收到您{item}。",
		Return:        "这是您的{item}，请收好。",
		CashReceived:  "收到您{amount}元。",
		CashChange:    "这是您的找零{amount}元，请点清。",
		Refusal:       "非常理解您的心情。您的这项要求与国家有关规定不符，我们暂时无法办理，请您谅解。我把相关规定给您说明一下，您看还有什么需要我帮您的？",
		Escalation:    "您的问题我已经详细记录，并提交给{assignee}，我们会在{due}前给您答复，请您保持电话畅通。",
		ProxyConfirm:  "我已按您的要求代为办理以下事项，请您在屏幕上确认。",
		Farewell:      "请慢走！",
		RefusalByType: map[string]string{
			"fee":     "非常理解您的心情。电费按国家核定的电价标准计收，我们无权减免，请您谅解。我可以为您详细解释本期电费的构成。",
			"connect": "非常理解您着急用电的心情。办理新装、增容须材料齐全并经现场勘查，不能先接电后补手续，请您谅解。我把需要补充的材料给您列一下。",
		},
		Materials: map[string][]string{
			"connect": {"身份证件", "房屋产权证明或租赁合同", "用电申请书", "用电设备清单", "营业执照（非居民用户）"},
			"change":  {"身份证件", "原户主身份证明", "变更用电申请书", "房屋产权证明", "营业执照（非居民用户）"},
			"fee":     {"电费通知单"},
		},
	}
}

// fill replaces {name} placeholders.
func fill(tmpl string, kv ...string) string { return strings.NewReplacer(kv...).Replace(tmpl) }

// ReceivePhrase is what the clerk says on receiving a document.
func (s Scripts) ReceivePhrase(item string) string { return fill(s.Receive, "{item}", item) }

// ReturnPhrase is what the clerk says handing a document back.
func (s Scripts) ReturnPhrase(item string) string { return fill(s.Return, "{item}", item) }

// CashReceivedPhrase is 唱收 for an amount.
func (s Scripts) CashReceivedPhrase(f Fen) string {
	return fill(s.CashReceived, "{amount}", f.String())
}

// CashChangePhrase is 唱付 for the change.
func (s Scripts) CashChangePhrase(f Fen) string { return fill(s.CashChange, "{amount}", f.String()) }

// EscalationPhrase is what the clerk tells the customer about an escalation.
func (s Scripts) EscalationPhrase(assignee, due string) string {
	return fill(s.Escalation, "{assignee}", assignee, "{due}", due)
}

// RefusalFor is the refusal script for a business type.
func (s Scripts) RefusalFor(typeCode string) string {
	if r := s.RefusalByType[typeCode]; r != "" {
		return r
	}
	return s.Refusal
}

// MaterialsFor lists the documents to receive for a business type.
func (s Scripts) MaterialsFor(typeCode string) []string { return s.Materials[typeCode] }

// Validate refuses scripts with an empty line or a template that lost its
// placeholder.
func (s Scripts) Validate() error {
	need := []struct{ v, name, ph string }{
		{s.Greeting, "问候语", ""}, {s.Apology, "致歉语", ""}, {s.Farewell, "送别语", ""},
		{s.Refusal, "解释语", ""}, {s.GreetReminder, "起立问候提示", ""}, {s.ProxyConfirm, "代办确认语", ""},
		{s.Receive, "收资料用语", "{item}"}, {s.Return, "还资料用语", "{item}"},
		{s.CashReceived, "唱收用语", "{amount}"}, {s.CashChange, "唱付用语", "{amount}"},
		{s.Escalation, "升级答复用语", "{assignee}"},
	}
	for _, n := range need {
		if strings.TrimSpace(n.v) == "" {
			return ErrInvalid.WithMessagef("%s不能为空", []string{n.name}, "script %s empty", n.name)
		}
		if n.ph != "" && !strings.Contains(n.v, n.ph) {
			return ErrInvalid.WithMessagef("%s须包含%s", []string{n.name, n.ph}, "script %s lacks %s", n.name, n.ph)
		}
	}
	return nil
}
