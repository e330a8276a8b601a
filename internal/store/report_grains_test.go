package store_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/store/storetest"
)

// TestReportGrains fills report_days as a servus before migration 0034 did,
// migrates (which fills the coarser tables from it), adds more through the
// report job's path, and then asks ReportSums for many ranges, groupings
// and scopes: every answer must equal the sums of the cells themselves,
// whichever tables it was read from (days, queue days, whole months).
func TestReportGrains(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			url := ""
			if dialect == store.Postgres {
				url = storetest.PostgresURL(t)
			}
			db, err := store.Open(ctx, url, t.TempDir(), nil)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			if _, err := db.MigrateTo(ctx, 33); err != nil {
				t.Fatal(err)
			}
			r := rand.New(rand.NewPCG(7, 8))
			truth := map[store.ReportCell]*store.ReportCounts{}
			const first, last = 20440, 20860 // 2025-12-19 … 2027-02-11
			cell := func() (store.ReportCell, *store.ReportCounts) {
				k := store.ReportCell{Day: first + r.IntN(last-first+1), QueueID: int64(1 + r.IntN(3)),
					Channel: []string{"mail", "web"}[r.IntN(2)], Priority: []string{"low", "normal"}[r.IntN(2)], Confidential: r.IntN(3) == 0}
				var c store.ReportCounts
				for range 4 {
					c.Sums[r.IntN(store.RCount)] += int64(1 + r.IntN(3))
				}
				c.Sums[store.RCreated] += int64(r.IntN(3))
				c.Sums[store.RSolved] += int64(r.IntN(2))
				if truth[k] == nil {
					truth[k] = &store.ReportCounts{}
				}
				truth[k].Add(&c)
				return k, &c
			}
			if err := db.Write(ctx, func(tx *store.Tx) error {
				for range 400 {
					k, c := cell()
					if err := tx.AddReportDayRow(ctx, k, c); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if err := db.Write(ctx, func(tx *store.Tx) error {
				for range 200 {
					k, c := cell()
					if err := tx.AddReportCell(ctx, k, c); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}

			want := func(scope store.ReportScope, from, to int, queueID int64, group store.ReportGroup, only []int) map[string]store.ReportCounts {
				out := map[string]store.ReportCounts{}
				for k, c := range truth {
					if k.Day < from || k.Day > to || (queueID != 0 && k.QueueID != queueID) ||
						!(scope.All || !k.Confidential || slices.Contains(scope.Queues, k.QueueID)) {
						continue
					}
					key := ""
					switch group {
					case "day":
						key = strconv.Itoa(k.Day)
					case "queue":
						key = strconv.FormatInt(k.QueueID, 10)
					case "channel":
						key = k.Channel
					case "priority":
						key = k.Priority
					}
					s := out[key]
					for i, v := range c.Sums {
						if only == nil || slices.Contains(only, i) {
							s.Sums[i] += v
						}
					}
					out[key] = s
				}
				return out
			}
			ranges := [][2]int{
				{math.MinInt32, 20600}, {math.MinInt32, 20634}, // up to a mid-month day, up to a month's end (2026-06-30)
				{20454, 20819},                                 // 2026-01-01 … 2026-12-31: whole months only
				{20440, 20860}, {20500, 20700}, {20610, 20620}, // partial months around whole ones; inside one month
				{20605, 20635}, {20454, 20454}, {20634, 20635}, // across one month's end; one day; a month's last and next first
			}
			for i := 0; i < 6; i++ {
				a, b := first-5+r.IntN(last-first+10), first-5+r.IntN(last-first+10)
				ranges = append(ranges, [2]int{min(a, b), max(a, b)})
			}
			scopes := []store.ReportScope{{All: true}, {Queues: []int64{1}}, {}}
			for _, rg := range ranges {
				for _, group := range []store.ReportGroup{"", "day", "queue", "channel", "priority"} {
					for si, scope := range scopes {
						for _, queueID := range []int64{0, 2} {
							for _, only := range [][]int{nil, {store.RCreated, store.RSolved, store.RClosedOther}} {
								var got []store.ReportSum
								err := db.Read(ctx, func(tx *store.Tx) (err error) {
									got, err = tx.ReportSums(ctx, scope, rg[0], rg[1], queueID, group, only)
									return err
								})
								if err != nil {
									t.Fatal(err)
								}
								w := want(scope, rg[0], rg[1], queueID, group, only)
								name := fmt.Sprintf("%d..%d by %q, scope %d, queue %d, only %v", rg[0], rg[1], group, si, queueID, only)
								gotMap := map[string]store.ReportCounts{}
								for _, g := range got {
									gotMap[g.Key] = g.ReportCounts
								}
								for k, wc := range w {
									if gc := gotMap[k]; gc != wc {
										t.Errorf("%s, %q: got %v, want %v (created, solved, closed otherwise)", name, k, gc.Sums[:3], wc.Sums[:3])
									}
								}
								for k, gc := range gotMap {
									if _, ok := w[k]; !ok && gc != (store.ReportCounts{}) {
										t.Errorf("%s: %q not expected", name, k)
									}
								}
							}
						}
					}
				}
			}
		})
	}
}
