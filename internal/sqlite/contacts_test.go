package sqlite_test

import (
	"testing"

	"servicehall/internal/hall"
	"servicehall/internal/halltest"
)

// A complaint's contact in full comes from its own row; an unknown one is
// not found, without an error.
func TestComplaintContactReadsTheComplaintsRow(t *testing.T) {
	h := halltest.New(t, nil)
	c, err := h.RecordComplaint(ctx, h.At(1), hall.ComplaintInput{What: "等候时间过长", Contact: hall.Contact{Name: "王建国", Phone: "13812345678"}})
	if err != nil {
		t.Fatal(err)
	}
	got, found, err := h.DB.ComplaintContact(ctx, c.ID)
	if err != nil || !found || got != (hall.Contact{Name: "王建国", Phone: "13812345678"}) {
		t.Fatalf("contact = %+v, %v, %v", got, found, err)
	}
	got, found, err = h.DB.ComplaintContact(ctx, "no-such-complaint")
	if err != nil || found || got != (hall.Contact{}) {
		t.Fatalf("unknown complaint: %+v, %v, %v", got, found, err)
	}
}
