//go:build !race

package servustest

const raceEnabled = false
