package desk_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store/storetest"
)

// BenchmarkRetention measures one retention run over closed tickets old
// enough for it (each with its subject indexed and two entries), on both
// databases, anonymising and deleting. The number of tickets is
// SERVUS_BENCH_RETENTION (default 10000); the README's figure is for
// 100000:
//
//	SERVUS_BENCH_RETENTION=100000 go test -run '^$' -bench BenchmarkRetention -benchtime 1x ./internal/desk
func BenchmarkRetention(b *testing.B) {
	n := 10000
	if v, err := strconv.Atoi(os.Getenv("SERVUS_BENCH_RETENTION")); err == nil && v > 0 {
		n = v
	}
	for _, d := range storetest.Dialects {
		for _, mode := range []string{desk.RetentionAnonymise, desk.RetentionDelete} {
			b.Run(d+"/"+mode, func(b *testing.B) {
				ctx := context.Background()
				for range b.N {
					b.StopTimer()
					w := newRetentionWorld(b, d)
					seedClosed(b, w.db, n, w.clock.Now().Add(-400*24*time.Hour))
					if _, err := w.svc.SetRetentionDefault(ctx, w.admin, desk.RetentionRule{Mode: mode, Months: 6}); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
					start := time.Now()
					rep, err := w.svc.RunRetention(ctx, w.clock.Now(), desk.RetentionOptions{})
					if err != nil {
						b.Fatal(err)
					}
					took := time.Since(start)
					if got := rep.Anonymised + rep.Deleted; got != n {
						b.Fatalf("got %d tickets done, want %d", got, n)
					}
					b.ReportMetric(float64(n)/took.Seconds(), "tickets/s")
					b.Logf("%s %s: %d tickets in %v", d, mode, n, took.Round(time.Millisecond))
				}
			})
		}
	}
}
