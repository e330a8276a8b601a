package api

import (
	"net/http"
	"strings"

	"github.com/servus-desk/servus/internal/access"
)

// handlerFunc is a route's handler; a is the caller (the zero Actor on the
// routes that need no token).
type handlerFunc func(w http.ResponseWriter, r *http.Request, a access.Actor)

// guard says whether a route needs a bearer token.
type guard bool

const (
	bearer guard = true  // Authorization: Bearer TOKEN required
	public guard = false // anyone
)

// route is one line of the API's surface.
type route struct {
	method  string
	pattern string
	handle  handlerFunc
	guard   guard
}

// routes is the whole REST API v1. openapi.json describes exactly these
// (TestOpenAPIMatchesRoutes keeps the two in step).
func (h *handler) routes() []route {
	return []route{
		{"GET", "/api/v1/openapi.json", h.getOpenAPI, public},

		{"GET", "/api/v1/users", h.listUsers, bearer},
		{"POST", "/api/v1/users", h.createUser, bearer},
		{"PATCH", "/api/v1/users/{email}", h.updateUser, bearer},
		{"POST", "/api/v1/users/{email}/tokens", h.createToken, bearer},
		{"GET", "/api/v1/users/{email}/export", h.exportUser, bearer},
		{"POST", "/api/v1/users/{email}/erase", h.eraseUser, bearer},

		{"GET", "/api/v1/queues", h.listQueues, bearer},
		{"POST", "/api/v1/queues", h.createQueue, bearer},
		{"PATCH", "/api/v1/queues/{name}", h.updateQueue, bearer},
		{"DELETE", "/api/v1/queues/{name}", h.deleteQueue, bearer},
		{"POST", "/api/v1/queues/{name}/members", h.addQueueMember, bearer},
		{"GET", "/api/v1/queues/{name}/retention", h.getQueueRetention, bearer},
		{"PUT", "/api/v1/queues/{name}/retention", h.putQueueRetention, bearer},
		{"GET", "/api/v1/retention", h.getRetention, bearer},
		{"PUT", "/api/v1/retention", h.putRetention, bearer},
		{"DELETE", "/api/v1/queues/{name}/members/{email}", h.removeQueueMember, bearer},

		{"GET", "/api/v1/organisations", h.listOrganisations, bearer},
		{"POST", "/api/v1/organisations", h.createOrganisation, bearer},
		{"GET", "/api/v1/organisations/{name}", h.getOrganisation, bearer},
		{"PATCH", "/api/v1/organisations/{name}", h.updateOrganisation, bearer},
		{"DELETE", "/api/v1/organisations/{name}", h.deleteOrganisation, bearer},
		{"POST", "/api/v1/organisations/{name}/members", h.addOrganisationMember, bearer},
		{"DELETE", "/api/v1/organisations/{name}/members/{email}", h.removeOrganisationMember, bearer},

		{"GET", "/api/v1/tickets", h.searchTickets, bearer},
		{"POST", "/api/v1/tickets", h.createTicket, bearer},
		{"GET", "/api/v1/tickets/{number}", h.getTicket, bearer},
		{"PATCH", "/api/v1/tickets/{number}", h.updateTicket, bearer},
		{"POST", "/api/v1/tickets/{number}/actions", h.actOnTicket, bearer},
		{"POST", "/api/v1/tickets/{number}/feedback", h.rateTicket, bearer},
		{"GET", "/api/v1/tickets/{number}/description-versions", h.listDescriptionVersions, bearer},
		{"GET", "/api/v1/tickets/{number}/text-modules", h.listTicketTextModules, bearer},
		{"GET", "/api/v1/tickets/{number}/text-modules/{id}", h.renderTextModule, bearer},

		{"GET", "/api/v1/text-modules", h.listTextModules, bearer},
		{"POST", "/api/v1/text-modules", h.createTextModule, bearer},
		{"GET", "/api/v1/text-modules/{id}", h.getTextModule, bearer},
		{"PATCH", "/api/v1/text-modules/{id}", h.updateTextModule, bearer},
		{"DELETE", "/api/v1/text-modules/{id}", h.deleteTextModule, bearer},
		{"GET", "/api/v1/macros", h.listMacros, bearer},
		{"POST", "/api/v1/macros", h.createMacro, bearer},
		{"GET", "/api/v1/macros/{id}", h.getMacro, bearer},
		{"PATCH", "/api/v1/macros/{id}", h.updateMacro, bearer},
		{"DELETE", "/api/v1/macros/{id}", h.deleteMacro, bearer},

		{"GET", "/api/v1/tickets/{number}/entries", h.listEntries, bearer},
		{"POST", "/api/v1/tickets/{number}/entries", h.createEntry, bearer},

		{"GET", "/api/v1/tickets/{number}/attachments", h.listAttachments, bearer},
		{"POST", "/api/v1/tickets/{number}/attachments", h.uploadAttachments, bearer},
		{"GET", "/api/v1/tickets/{number}/attachments/{id}", h.downloadAttachment, bearer},
		{"GET", "/api/v1/tickets/{number}/entries/{id}/eml", h.getEntryMail, bearer},

		{"POST", "/api/v1/mail", h.postMail, bearer},
		{"GET", "/api/v1/mail/failed", h.listFailedMail, bearer},
		{"GET", "/api/v1/mail/{id}", h.getMail, bearer},
		{"GET", "/api/v1/mail/{id}/eml", h.getMailRaw, bearer},
		{"POST", "/api/v1/mail/{id}/retry", h.retryInbound, bearer},

		{"GET", "/api/v1/outbox", h.listOutbox, bearer},
		{"GET", "/api/v1/jobs", h.listJobs, bearer},

		{"GET", "/api/v1/reports", h.getReport, bearer},
		{"GET", "/api/v1/audit", h.listAudit, bearer},
		{"GET", "/api/v1/audit/summary", h.auditSummary, bearer},
		{"POST", "/api/v1/outbox/{id}/retry", h.retryMail, bearer},
	}
}

// probeMethods are the methods tried to build a 405's Allow header.
var probeMethods = []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"}

// router builds the mux from the route table and answers what it does not
// match with a problem: 405 with Allow when the path exists under another
// method, else 404.
func (h *handler) router() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range h.routes() {
		handle, g := rt.handle, rt.guard
		mux.HandleFunc(rt.method+" "+rt.pattern, func(w http.ResponseWriter, r *http.Request) {
			var a access.Actor
			if g == bearer {
				var err error
				if a, err = h.authenticate(w, r); err != nil {
					h.fail(w, r, err)
					return
				}
			}
			handle(w, r, a)
		})
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := mux.Handler(r); pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		var allow []string
		for _, m := range probeMethods {
			probe := r.Clone(r.Context())
			probe.Method = m
			if _, pattern := mux.Handler(probe); pattern != "" {
				allow = append(allow, m)
			}
		}
		if len(allow) == 0 {
			writeProblem(w, http.StatusNotFound, "not_found", "No such API endpoint: "+r.URL.Path, nil)
			return
		}
		w.Header().Set("Allow", strings.Join(allow, ", "))
		writeProblem(w, http.StatusMethodNotAllowed, "method_not_allowed",
			"Method "+r.Method+" is not allowed here; allowed: "+strings.Join(allow, ", ")+".", nil)
	})
}
