package hall

import "context"

// Service is what every window uses to work with the hall. Local implements
// it in-process; a remote client over the hall's LAN implements it too, so a
// window is the same code on the hall node and on any other PC.
type Service interface {
	Overview(ctx context.Context) (Overview, error)
	Config(ctx context.Context) (Config, error)

	Issue(ctx context.Context, typeCode string, p Priority) (Ticket, error)
	Cancel(ctx context.Context, ticketID string) (Ticket, error)
	Requeue(ctx context.Context, ticketID string) (Ticket, error)

	CallNext(ctx context.Context, counter int, clerk string) (Call, error)
	Recall(ctx context.Context, counter int, clerk string) (Call, error)
	Start(ctx context.Context, counter int, clerk string) (Ticket, error)
	Finish(ctx context.Context, counter int, clerk string) (ServiceRecord, error)
	NoShow(ctx context.Context, counter int, clerk string) (Ticket, error)
	Transfer(ctx context.Context, counter int, clerk string, to TransferTarget) (Ticket, error)
	SetCounterState(ctx context.Context, counter int, s CounterState, by string) (Counter, error)

	CloseDay(ctx context.Context) (DayClose, error)

	// Subscribe streams every event after afterSeq, in order, then each new
	// one as it is committed, until ctx ends. The channel is closed then.
	Subscribe(ctx context.Context, afterSeq int64) (<-chan Event, error)
}

var _ Service = (*Local)(nil)
