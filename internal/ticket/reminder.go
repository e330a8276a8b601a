package ticket

import "time"

// What a queue does with a ticket still waiting on its requester after the
// reminder (Reminder.Then).
const (
	ReminderThenNothing = ""       // nothing: the ticket keeps waiting
	ReminderThenClose   = "close"  // close it, reason auto-closed
	ReminderThenReopen  = "reopen" // back to the queue: state open, with a note
)

// Reminder is a queue's setting for tickets waiting on the requester: after
// After in state waiting the requesters get one reminder mail; after a
// further ThenAfter without an answer Then happens. After 0 turns
// reminders off.
type Reminder struct {
	AfterSeconds     int64  `json:"after_seconds"`
	Then             string `json:"then"` // "", "close" or "reopen"
	ThenAfterSeconds int64  `json:"then_after_seconds"`
}

// After is the time in waiting before the reminder.
func (r Reminder) After() time.Duration { return time.Duration(r.AfterSeconds) * time.Second }

// ThenAfter is the time after the reminder before Then happens.
func (r Reminder) ThenAfter() time.Duration { return time.Duration(r.ThenAfterSeconds) * time.Second }

// On reports whether the queue sends reminders.
func (r Reminder) On() bool { return r.AfterSeconds > 0 }

// ValidReminderThen reports whether then is one of the ReminderThen values.
func ValidReminderThen(then string) bool {
	return then == ReminderThenNothing || then == ReminderThenClose || then == ReminderThenReopen
}
