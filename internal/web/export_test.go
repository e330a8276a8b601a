package web

// RouteGuard is one line of the route table as the tests see it: the
// pattern and who may use it.
type RouteGuard struct{ Pattern, Guard string }

// RouteGuards lists the web application's route table.
func RouteGuards() []RouteGuard {
	names := map[guard]string{public: "public", signedIn: "signedIn", staff: "staff", admin: "admin", auditor: "auditor", tickets: "tickets", asset: "asset"}
	var out []RouteGuard
	for _, rt := range (&handler{}).routes() {
		out = append(out, RouteGuard{rt.pattern, names[rt.guard]})
	}
	return out
}
