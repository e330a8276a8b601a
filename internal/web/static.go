package web

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

func asMaxBytes(err error, target **http.MaxBytesError) bool { return errors.As(err, target) }

// serveStatic serves the embedded styles, scripts and icons. They change
// only with a new build, so browsers may keep them for a day.
func (h *handler) serveStatic(w http.ResponseWriter, r *http.Request, v *visit) {
	file := r.PathValue("file")
	if file == "" || strings.HasSuffix(file, "/") {
		h.renderError(w, r, v, http.StatusNotFound, "error.not_found")
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=86400")
	http.ServeFileFS(w, r, h.static, file)
}

func itoa(n int) string { return strconv.Itoa(n) }

func urlPathEscape(s string) string { return url.PathEscape(s) }

func copyBody(w io.Writer, r io.Reader) { io.Copy(w, r) }
