package desk_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/bizhours"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/store/storetest"
	"github.com/servus-desk/servus/internal/ticket"
)

// BenchmarkReportYear times a year's report (by month, and by queue) on
// report_days filled as 1,000,000 tickets over three years fill it: every
// day, every combination of 8 queues, 4 channels, 4 priorities and both
// confidentialities has a row (256 rows a day, 280,000 in all), so the
// figure does not depend on how many tickets there are beyond that.
func BenchmarkReportYear(b *testing.B) {
	for _, dialect := range storetest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			ctx := context.Background()
			w := newWorldOn(b, storetest.Open(b, dialect))
			var queues []int64
			for i := range 8 {
				q := must(w.svc.CreateQueue(ctx, access.System, desk.NewQueue{Name: fmt.Sprintf("Queue %d", i)}))
				queues = append(queues, q.ID)
			}
			end := bizhours.DateOf(time.Now().UTC())
			first := int(time.Date(end.Year, end.Month, end.Day, 0, 0, 0, 0, time.UTC).Unix()/86400) - 3*365
			r := rand.New(rand.NewPCG(1, 2))
			for d := 0; d < 3*365+1; d += 30 {
				err := w.db.Write(ctx, func(tx *store.Tx) error {
					for day := first + d; day < first+min(d+30, 3*365+1); day++ {
						for _, q := range queues {
							for _, ch := range []string{"mail", "web", "phone", "api"} {
								for _, pr := range ticket.Priorities {
									for _, conf := range []bool{false, true} {
										var c store.ReportCounts
										for i := range c.Sums {
											c.Sums[i] = int64(r.IntN(4))
										}
										if err := tx.AddReportCell(ctx, store.ReportCell{Day: day, QueueID: q, Channel: ch, Priority: string(pr), Confidential: conf}, &c); err != nil {
											return err
										}
									}
								}
							}
						}
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			for _, group := range []string{"month", "queue"} {
				b.Run(group, func(b *testing.B) {
					rq := desk.ReportQuery{From: end.AddDays(-364), To: end, GroupBy: group}
					for b.Loop() {
						if _, err := w.svc.Report(ctx, w.agentA, rq); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

// BenchmarkReportBackfill times the report job's first pass on a database
// of 3,000 tickets (three batches): every ticket's facts computed, stored
// and added to the three report tables. Each run loads its tickets into a
// new database first (not timed). Run with -benchtime 3x or so: a run
// takes seconds.
func BenchmarkReportBackfill(b *testing.B) {
	for _, dialect := range storetest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			ctx := context.Background()
			var cpu time.Duration
			b.StopTimer()
			for range b.N {
				w := newWorld(b, dialect)
				loadT(b, w, 3000)
				start := cpuTime()
				b.StartTimer()
				n, done, err := w.svc.RefreshReports(ctx, 0)
				b.StopTimer()
				cpu += cpuTime() - start
				if err != nil || !done || n != 3000 {
					b.Fatalf("RefreshReports: %d tickets, done %v, %v; want 3000, true", n, done, err)
				}
			}
			reportCPU(b, cpu)
		})
	}
}
