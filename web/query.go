package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// checkQuery refuses a query parameter the endpoint does not take (a
// misspelt filter would otherwise be ignored and its answer taken for a
// filtered one): 400 naming the parameter and those the endpoint takes;
// and one given twice (only the first would count: ?status=a&status=b is
// not "a or b").
func checkQuery(r *http.Request, known ...string) error {
	q := r.URL.Query()
	names := make([]string, 0, len(q))
	for name := range q {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if slices.Contains(known, name) {
			if n := len(q[name]); n > 1 {
				return protocol.Errorf(protocol.CodeBadRequest, "query parameter %q is given %d times: %s %s takes each once", name, n, r.Method, r.URL.Path)
			}
			continue
		}
		takes := "takes no query parameters"
		if len(known) > 0 {
			takes = "takes only " + strings.Join(known, ", ")
		}
		return protocol.Errorf(protocol.CodeBadRequest, "unknown query parameter %q: %s %s %s", name, r.Method, r.URL.Path, takes)
	}
	return nil
}
