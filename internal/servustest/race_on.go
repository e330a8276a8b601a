//go:build race

package servustest

// raceEnabled: the tests run with -race, so the binary is built with it.
const raceEnabled = true
