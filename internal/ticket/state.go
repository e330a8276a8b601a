package ticket

// Event is something that may move a ticket from one state to another.
type Event string

// Events of the state machine.
const (
	EventTake      Event = "take"      // an agent takes the ticket
	EventAssign    Event = "assign"    // an agent assigns it to a queue member
	EventAsk       Event = "ask"       // an agent asks the requester (Rückfrage)
	EventAnswer    Event = "answer"    // the requester replies
	EventResolve   Event = "resolve"   // an agent resolves it
	EventClose     Event = "close"     // the requester confirms a resolution
	EventAutoClose Event = "autoclose" // no requester reaction after resolution
	EventReopen    Event = "reopen"    // requester (or agent) reopens
	EventWithdraw  Event = "withdraw"  // the requester withdraws the request
	EventMerge     Event = "merge"     // merged into another ticket
	EventReturn    Event = "return"    // a waiting ticket's requester never answered: back to the queue (reminders)
)

// Next returns the state a ticket in state from reaches through ev, and the
// close reason when that state is closed. It follows DESIGN.md's drawing:
//
//	new ─take/assign─▶ open ─ask─▶ waiting ─answer─▶ open
//	new, open, waiting ─resolve─▶ resolved ─close/autoclose─▶ closed
//	resolved, closed ─reopen/answer─▶ open
//	waiting ─autoclose─▶ closed, waiting ─return─▶ open (after a reminder went unanswered)
//	any state before closed ─withdraw/merge─▶ closed
//
// Take and assign keep open and waiting tickets where they are (a
// hand-over); an answer to a new or open ticket keeps it there; asking on a
// new ticket takes it first and so reaches waiting. A waiting ticket may be
// resolved too: a requester who never answers must not keep it open for
// ever (the resolution mail asks them, and auto-close follows). Every other
// pair is refused with an ECONFLICT error naming the state.
func Next(from State, ev Event) (State, CloseReason, error) {
	switch ev {
	case EventTake, EventAssign:
		switch from {
		case StateNew:
			return StateOpen, "", nil
		case StateOpen, StateWaiting:
			return from, "", nil
		}
	case EventAsk:
		switch from {
		case StateNew, StateOpen, StateWaiting:
			return StateWaiting, "", nil
		}
	case EventAnswer:
		switch from {
		case StateWaiting, StateResolved:
			return StateOpen, "", nil
		case StateNew, StateOpen:
			return from, "", nil
		}
	case EventResolve:
		switch from {
		case StateNew, StateOpen, StateWaiting:
			return StateResolved, "", nil
		}
	case EventClose:
		if from == StateResolved {
			return StateClosed, ReasonSolved, nil
		}
	case EventAutoClose:
		if from == StateResolved || from == StateWaiting {
			return StateClosed, ReasonAutoClosed, nil
		}
	case EventReturn:
		if from == StateWaiting {
			return StateOpen, "", nil
		}
	case EventReopen:
		switch from {
		case StateResolved, StateClosed:
			return StateOpen, "", nil
		}
	case EventWithdraw:
		if from != StateClosed && from.Valid() {
			return StateClosed, ReasonWithdrawn, nil
		}
	case EventMerge:
		if from != StateClosed && from.Valid() {
			return StateClosed, ReasonMerged, nil
		}
	default:
		return "", "", E(EINVALID, "err.action.unknown", string(ev))
	}
	return "", "", E(ECONFLICT, "err.ticket.state_refuses", from, ev)
}
