package app

import "strconv"

// describeMonths is --audit-retention for the running configuration: "24
// months", or "" (not set) for a log kept whole.
func describeMonths(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n) + " months"
}
