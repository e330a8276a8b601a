package demo

import (
	"context"
	"fmt"
	"strings"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

// escalatingQueues mail their members escalation digests in the demo: the
// front desk, security and the complaints queue, where a missed target
// hurts most.
var escalatingQueues = []string{qServicedesk, qSecurity, qComplaints}

// demoReminder is a demo queue's reminder for tickets waiting on the
// requester: after three days, and without an answer four days later the
// ticket is closed; on-site service and security take it back into the
// queue instead (someone looks again), procurement and licences wait a
// week before reminding.
func demoReminder(queue string) ticket.Reminder {
	const day = 24 * 3600
	r := ticket.Reminder{AfterSeconds: 3 * day, Then: ticket.ReminderThenClose, ThenAfterSeconds: 4 * day}
	switch {
	case queue == qSecurity || strings.HasPrefix(queue, "Vorort-Service"):
		r.Then, r.ThenAfterSeconds = ticket.ReminderThenReopen, 2*day
	case queue == "Beschaffung" || queue == "Lizenzen":
		r.AfterSeconds = 7 * day
	}
	return r
}

// automate gives the demo queues their reminders and escalation digests
// once the history is written, so that it does not change the history,
// and records the escalations the history already has (quietly: nobody is
// mailed), so that a demo server's first escalation run mails only what
// becomes due from then on.
func (s *seeder) automate(ctx context.Context) error {
	s.clk.set(s.now)
	qs, err := s.svc.Queues(ctx, access.System)
	if err != nil {
		return err
	}
	for _, q := range qs {
		r := demoReminder(q.Name)
		p := desk.QueuePatch{Reminder: &r}
		for _, name := range escalatingQueues {
			if q.Name == name {
				on := true
				p.Escalate = &on
			}
		}
		if _, err := s.svc.UpdateQueue(ctx, access.System, q.Name, p); err != nil {
			return fmt.Errorf("demo: automation of queue %s: %w", q.Name, err)
		}
	}
	for {
		n, err := s.svc.SendEscalations(ctx)
		if err != nil {
			return fmt.Errorf("demo: escalations: %w", err)
		}
		if n == 0 {
			return nil
		}
	}
}
