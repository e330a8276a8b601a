package app_test

import (
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/app"
)

func TestAutoCloseInterval(t *testing.T) {
	for after, want := range map[time.Duration]time.Duration{
		time.Second:            200 * time.Millisecond,
		100 * time.Millisecond: 200 * time.Millisecond,
		5 * time.Second:        500 * time.Millisecond,
		5 * time.Minute:        30 * time.Second,
		336 * time.Hour:        time.Minute,
	} {
		if got := app.AutoCloseInterval(after); got != want {
			t.Errorf("AutoCloseInterval(%v) = %v, want %v", after, got, want)
		}
	}
}
