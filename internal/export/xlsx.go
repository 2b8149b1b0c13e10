package export

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"servicehall/internal/hall"
)

// WriteXLSX writes the report as an Excel workbook with the sheets 概况,
// 按业务, 按时段, 按窗口, 按人员, 满意度 and 每日, each a header row and its
// data from the second row on. Numbers are stored as numbers: minutes with
// one decimal shown, rates as percentages. 每日 carries a line chart of
// the tickets issued and served per day when the range has two days or
// more.
func WriteXLSX(w io.Writer, r hall.Report) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	for i, t := range tables(r) {
		if i == 0 {
			if err := f.SetSheetName(f.GetSheetName(0), t.name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(t.name); err != nil {
			return err
		}
		if err := writeSheet(f, st, t); err != nil {
			return fmt.Errorf("sheet %s: %w", t.name, err)
		}
	}
	if len(r.Daily) >= 2 {
		if err := dailyChart(f, len(r.Daily)); err != nil {
			return fmt.Errorf("daily chart: %w", err)
		}
	}
	f.SetActiveSheet(0)
	f.SetDocProps(&excelize.DocProperties{
		Title:   r.Hall.Name + " 营业厅运营报表 " + r.Range.From + " 至 " + r.Range.To,
		Subject: "检查与考核",
		Creator: "servicehall",
	})
	return f.Write(w)
}

type styles struct{ header, minutes, rate int }

func newStyles(f *excelize.File) (styles, error) {
	var s styles
	var err error
	border := []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}}
	if s.header, err = f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E7EEF7"}},
		Border:    border,
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
	}); err != nil {
		return s, err
	}
	one := "0.0"
	if s.minutes, err = f.NewStyle(&excelize.Style{CustomNumFmt: &one}); err != nil {
		return s, err
	}
	pct := "0.0%"
	if s.rate, err = f.NewStyle(&excelize.Style{CustomNumFmt: &pct}); err != nil {
		return s, err
	}
	return s, nil
}

func writeSheet(f *excelize.File, st styles, t table) error {
	for c, h := range t.header {
		ref, err := excelize.CoordinatesToCellName(c+1, 1)
		if err != nil {
			return err
		}
		if err := f.SetCellStr(t.name, ref, h); err != nil {
			return err
		}
	}
	last, err := excelize.CoordinatesToCellName(len(t.header), 1)
	if err != nil {
		return err
	}
	if err := f.SetCellStyle(t.name, "A1", last, st.header); err != nil {
		return err
	}
	for i, row := range t.rows {
		for c, v := range row {
			ref, err := excelize.CoordinatesToCellName(c+1, i+2)
			if err != nil {
				return err
			}
			switch v.kind {
			case text:
				err = f.SetCellStr(t.name, ref, v.s)
			case count:
				err = f.SetCellInt(t.name, ref, int64(v.n))
			case minutes:
				if err = f.SetCellFloat(t.name, ref, v.f, -1, 64); err == nil {
					err = f.SetCellStyle(t.name, ref, ref, st.minutes)
				}
			case rate:
				if err = f.SetCellFloat(t.name, ref, v.f, -1, 64); err == nil {
					err = f.SetCellStyle(t.name, ref, ref, st.rate)
				}
			}
			if err != nil {
				return err
			}
		}
	}
	for c, wd := range t.widths {
		col, err := excelize.ColumnNumberToName(c + 1)
		if err != nil {
			return err
		}
		if err := f.SetColWidth(t.name, col, col, wd); err != nil {
			return err
		}
	}
	// Keep the header in view while scrolling.
	return f.SetPanes(t.name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

// dailyChart draws tickets issued and served per day beside the 每日 table.
func dailyChart(f *excelize.File, days int) error {
	last := days + 1
	sheet := "'" + SheetDaily + "'"
	cats := fmt.Sprintf("%s!$A$2:$A$%d", sheet, last)
	series := func(col string) excelize.ChartSeries {
		return excelize.ChartSeries{
			Name:       fmt.Sprintf("%s!$%s$1", sheet, col),
			Categories: cats,
			Values:     fmt.Sprintf("%s!$%s$2:$%s$%d", sheet, col, col, last),
		}
	}
	return f.AddChart(SheetDaily, "H2", &excelize.Chart{
		Type:   excelize.Line,
		Series: []excelize.ChartSeries{series("B"), series("C")},
		Title:  excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "每日取号与办结"}}},
		Legend: excelize.ChartLegend{Position: "bottom"},
		Format: excelize.GraphicOptions{ScaleX: 1.6, ScaleY: 1.2},
	})
}
