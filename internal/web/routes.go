package web

import (
	"net/http"

	"github.com/servus-desk/servus/internal/access"
)

// guard says who may use a route.
type guard int

const (
	public   guard = iota // anyone, signed in or not
	signedIn              // a signed-in person; others are sent to /login
	staff                 // an agent or admin; other signed-in people get the 404 page, the signed-out /login
	admin                 // an admin; other signed-in people get the 404 page (the page does not exist for them), the signed-out /login
	auditor               // an admin or an auditor (the audit log); others as admin
	tickets               // anyone signed in who works with tickets: not an auditor (who gets the 404 page)
	asset                 // anyone, without a session lookup (styles, scripts)
)

// allows says whether g lets v through once signed in.
func (g guard) allows(v *visit) bool {
	switch g {
	case staff:
		return v.actor.Staff()
	case admin:
		return v.actor.Admin()
	case auditor:
		return access.CanReadAudit(v.actor)
	case tickets:
		return !v.actor.Auditor()
	}
	return true
}

// route is one line of the web application's surface.
type route struct {
	pattern string
	handle  handlerFunc
	guard   guard
}

// routes is the whole web application. POSTs pass the cross-origin check
// (CSRF) in router before they reach their handler.
func (h *handler) routes() []route {
	return []route{
		{"GET /login", h.loginForm, public},
		{"POST /login", h.login, public},
		{"POST /logout", h.logout, signedIn},
		{"GET /login/oidc", h.oidcStart, public},
		{"GET " + oidcCallbackPath, h.oidcCallback, public},
		{"GET /login/saml", h.samlStart, public},
		{"POST /saml/acs", h.samlACS, public},
		{"GET /saml/metadata", h.samlMetadata, public},
		{"GET /password/forgot", h.passwordForgotForm, public},
		{"POST /password/forgot", h.passwordForgot, public},
		{"GET /password/reset", h.passwordResetForm, public},
		{"POST /password/reset", h.passwordReset, public},
		{"GET /feedback/{token}", h.feedbackForm, public},
		{"POST /feedback/{token}", h.feedbackPost, public},

		{"GET /{$}", h.dashboard, signedIn},

		{"GET /tickets/new", h.newTicketForm, tickets},
		{"POST /tickets/new", h.createTicket, tickets},
		{"GET /tickets/new/assistant", h.assistantForm, tickets},
		{"POST /tickets/new/assistant", h.assistantPost, tickets},
		{"GET /admin/assistant", h.adminAssistant, admin},
		{"GET /admin/assistant/new", h.adminAssistantNew, admin},
		{"POST /admin/assistant/new", h.adminAssistantSave, admin},
		{"GET /admin/assistant/{id}", h.adminAssistantEdit, admin},
		{"POST /admin/assistant/{id}", h.adminAssistantSave, admin},
		{"POST /admin/assistant/{id}/move", h.adminAssistantMove, admin},
		{"POST /admin/assistant/{id}/delete", h.adminAssistantDelete, admin},
		{"GET /tickets/{number}", h.showTicket, signedIn},
		{"POST /tickets/{number}/actions", h.actOnTicket, signedIn},
		{"POST /tickets/{number}/entries", h.addEntry, signedIn},
		{"POST /tickets/{number}/edit", h.editTicket, signedIn},
		{"POST /tickets/{number}/attachments", h.uploadAttachments, signedIn},
		{"GET /tickets/{number}/attachments/{id}", h.downloadAttachment, signedIn},

		{"GET /search", h.search, tickets},
		{"GET /queues", h.queues, signedIn},
		{"GET /queues/{name}", h.queueView, signedIn},
		{"POST /search/bulk", h.bulkAct, staff},
		{"GET /filters", h.listFilters, signedIn},
		{"POST /filters", h.saveFilter, signedIn},
		{"POST /filters/{id}/delete", h.deleteFilter, signedIn},
		{"POST /tickets/{number}/link", h.linkTicket, signedIn},
		{"POST /tickets/{number}/merge", h.mergeTicket, signedIn},
		{"POST /tickets/{number}/unlink", h.unlinkTicket, staff},
		{"POST /tickets/{number}/split", h.splitTicket, staff},
		{"POST /tickets/{number}/feedback", h.rateTicket, signedIn},
		{"POST /tickets/{number}/complaint", h.complainTicket, staff},
		{"POST /tickets/{number}/text-module", h.insertTextModule, staff},
		{"POST /tickets/{number}/macro", h.applyMacro, staff},
		{"GET /text-modules", h.textModules, staff},
		{"POST /text-modules", h.saveTextModule, staff},
		{"GET /text-modules/{id}", h.editTextModule, staff},
		{"POST /text-modules/{id}", h.saveTextModule, staff},
		{"POST /text-modules/{id}/delete", h.deleteTextModule, staff},
		{"POST /macros", h.saveMacro, staff},
		{"GET /macros/{id}", h.editMacro, staff},
		{"POST /macros/{id}", h.saveMacro, staff},
		{"POST /macros/{id}/delete", h.deleteMacro, staff},

		{"GET /admin/queues", h.adminQueues, admin},
		{"POST /admin/queues", h.adminCreateQueue, admin},
		{"POST /admin/queues/members", h.adminAddMember, admin},
		{"GET /admin/queues/{id}", h.adminQueue, admin},
		{"POST /admin/queues/{id}", h.adminUpdateQueue, admin},
		{"POST /admin/queues/{id}/delete", h.adminDeleteQueue, admin},
		{"POST /admin/queues/{id}/reminder", h.adminQueueReminder, admin},
		{"POST /admin/queues/{id}/escalation", h.adminQueueEscalation, admin},
		{"GET /admin/jobs", h.adminJobs, admin},
		{"POST /admin/queues/{id}/retention", h.adminSaveQueueRetention, admin},
		{"GET /admin/queues/{id}/members/{user}/remove", h.adminRemoveMemberForm, admin},
		{"POST /admin/queues/{id}/members/{user}/remove", h.adminRemoveMember, admin},
		{"GET /admin/users", h.adminUsers, admin},
		{"POST /admin/users", h.adminCreateUser, admin},
		{"GET /admin/users/{id}", h.adminUser, admin},
		{"POST /admin/users/{id}", h.adminUpdateUser, admin},
		{"POST /admin/users/{id}/disable", h.adminDisableUser, admin},
		{"POST /admin/users/{id}/enable", h.adminEnableUser, admin},
		{"POST /admin/users/{id}/reset", h.adminSendReset, admin},
		{"POST /admin/users/{id}/export", h.adminExportUser, admin},
		{"GET /admin/users/{id}/erase", h.adminEraseForm, admin},
		{"POST /admin/users/{id}/erase", h.adminErase, admin},
		{"GET /admin/outbox", h.adminOutbox, admin},
		{"POST /admin/outbox/{id}/retry", h.adminRetryMail, admin},
		{"GET /admin/mail/failed", h.adminFailedMail, admin},
		{"POST /admin/mail/failed/{id}/retry", h.adminRetryInbound, admin},
		{"GET /admin/mail/{id}/eml", h.adminInboundEML, admin},
		{"GET /reports", h.reports, signedIn},
		{"GET /reports.csv", h.reportsCSV, signedIn},
		{"GET /audit", h.audit, auditor},
		{"GET /audit.csv", h.auditCSV, auditor},
		{"GET /audit/summary", h.auditSummary, auditor},
		{"GET /audit/summary.csv", h.auditSummaryCSV, auditor},
		{"GET /admin/settings", h.adminSettings, admin},
		{"POST /admin/settings", h.adminSaveSettings, admin},
		{"POST /admin/settings/complaints", h.adminSaveComplaintsQueue, admin},
		{"POST /admin/settings/retention", h.adminSaveRetentionDefault, admin},

		{"GET /settings", h.settingsForm, signedIn},
		{"POST /settings", h.saveSettings, signedIn},
		{"POST /settings/institute", h.saveDelegateMail, signedIn},
		{"GET /admin/organisations", h.adminOrganisations, admin},
		{"POST /admin/organisations", h.adminCreateOrganisation, admin},
		{"GET /admin/organisations/{id}", h.adminOrganisation, admin},
		{"POST /admin/organisations/{id}", h.adminUpdateOrganisation, admin},
		{"POST /admin/organisations/{id}/delete", h.adminDeleteOrganisation, admin},
		{"POST /admin/organisations/{id}/members", h.adminAddOrganisationMember, admin},
		{"POST /admin/organisations/{id}/members/remove", h.adminRemoveOrganisationMember, admin},

		{"GET /static/{file...}", h.serveStatic, asset},
	}
}

// contentSecurityPolicy allows the page's own styles, scripts and images
// only: no inline script, no foreign origin, no framing.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// router builds the mux from the route table. Every response carries the
// CSP; every state-changing request must come from servus's own pages
// (http.CrossOriginProtection, by Sec-Fetch-Site or Origin); anything
// unmatched is a 404 page.
func (h *handler) router() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range h.routes() {
		handle, g := rt.handle, rt.guard
		if rt.guard == asset {
			mux.HandleFunc(rt.pattern, func(w http.ResponseWriter, r *http.Request) { handle(w, r, h.anonymous(r)) })
			continue
		}
		mux.HandleFunc(rt.pattern, func(w http.ResponseWriter, r *http.Request) {
			v := h.visit(w, r)
			if g != public && !v.signedIn {
				h.toLogin(w, r)
				return
			}
			if !g.allows(v) {
				h.renderError(w, r, v, http.StatusNotFound, "error.not_found")
				return
			}
			handle(w, r, v)
		})
	}
	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := h.visit(w, r)
		h.renderError(w, r, v, http.StatusForbidden, "error.cross_origin")
	}))
	// The identity provider's answer is posted from its own site.
	csrf.AddInsecureBypassPattern("POST /saml/acs")
	protected := csrf.Handler(mux)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", contentSecurityPolicy)
		if _, pattern := mux.Handler(r); pattern == "" {
			v := h.visit(w, r)
			h.renderError(w, r, v, http.StatusNotFound, "error.not_found")
			return
		}
		protected.ServeHTTP(w, r)
	})
}
