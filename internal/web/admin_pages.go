package web

import (
	"net/http"
	"net/url"
	"strconv"
)

// adminPathID reads the path value name as a positive integer; 0 when it is
// none.
func adminPathID(r *http.Request, name string) int64 {
	n, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

// adminPager is the navigation of a paged admin list.
type adminPager struct {
	Page, Pages, Total int
	Prev, Next         string
}

// newAdminPager builds the links of page (from 1) of total items, perPage each,
// keeping the other parameters of q.
func newAdminPager(path string, q url.Values, page, perPage, total int) adminPager {
	p := adminPager{Page: page, Total: total, Pages: max((total+perPage-1)/perPage, 1)}
	link := func(n int) string {
		u := url.Values{}
		for k, vs := range q {
			u[k] = vs
		}
		u.Set("page", strconv.Itoa(n))
		return path + "?" + u.Encode()
	}
	if page > 1 {
		p.Prev = link(page - 1)
	}
	if page < p.Pages {
		p.Next = link(page + 1)
	}
	return p
}
