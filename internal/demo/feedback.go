package demo

import (
	"context"
	"time"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

// qComplaints is the demo's praise and complaints queue: the complaints
// queue of its settings, and the target of the assistant's entry.
const qComplaints = "Lob und Beschwerde"

// Demo ratings, drawn from the ticket's number (not the random stream, so
// that the rest of the plan stays as it is): about a third of the tickets
// their requester closes get one, mostly good, a few low with a comment.
var (
	demoRatings  = [...]int{5, 5, 4, 5, 3, 5, 4, 4, 5, 2, 5, 4, 5, 1, 4, 5, 3, 5, 4, 5}
	demoComments = map[int][2][]string{
		5: {{"Schnell und freundlich, danke!", "", "Hat super geklappt."}, {"Quick and friendly, thanks!", "", "Worked perfectly."}},
		4: {{"", "Gut, hat nur etwas gedauert."}, {"", "Good, just took a while."}},
		3: {{"Gelöst, aber ich musste zweimal nachfragen."}, {"Solved, but I had to ask twice."}},
		2: {{"Hat über eine Woche gedauert, niemand hat sich zwischendurch gemeldet."}, {"Took over a week and nobody got back to me in between."}},
		1: {{"Die Lösung passt nicht zu meinem Problem, und ich wurde zweimal weiterverbunden."}, {"The solution does not fit my problem, and I was passed on twice."}},
	}
)

// feedback schedules the requester's rating of pt at t, for some of the
// tickets.
func (s *seeder) feedback(t time.Time, pt *pticket) {
	s.at(t, pt, "feedback", func(ctx context.Context) error {
		if pt.num%3 != 0 { // its number is known once it is opened
			return nil
		}
		rating := demoRatings[int(pt.num/3)%len(demoRatings)]
		pool := demoComments[rating][min(pt.lang, 1)]
		comment := pool[int(pt.num/3)%len(pool)]
		_, err := s.svc.Rate(ctx, s.actors[pt.req.email], pt.num, rating, comment, desk.FeedbackByPortal)
		if ticket.ErrorCode(err) == ticket.ECONFLICT {
			return nil // reopened meanwhile: no rating
		}
		return err
	})
}
