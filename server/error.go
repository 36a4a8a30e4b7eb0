package server

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/geotag/geotag"
)

// statusOf maps each geotag error code to its one HTTP status.
var statusOf = map[string]int{
	geotag.EINVALID:       http.StatusBadRequest,
	geotag.EUNPROCESSABLE: http.StatusUnprocessableEntity,
	geotag.ENOTFOUND:      http.StatusNotFound,
	geotag.ECONFLICT:      http.StatusConflict,
	geotag.EUNAUTHORIZED:  http.StatusUnauthorized,
	geotag.EFORBIDDEN:     http.StatusForbidden,
	geotag.ETOOLARGE:      http.StatusRequestEntityTooLarge,
	geotag.EUNSUPPORTED:   http.StatusUnsupportedMediaType,
	geotag.ERATELIMIT:     http.StatusTooManyRequests,
	geotag.EUNAVAILABLE:   http.StatusServiceUnavailable,
	geotag.EINTERNAL:      http.StatusInternalServerError,
	errMethod:             http.StatusMethodNotAllowed,
	errPrecondition:       http.StatusPreconditionFailed,
}

// ErrorStatus returns the HTTP status for err's geotag error code.
func ErrorStatus(err error) int {
	if s, ok := statusOf[geotag.ErrorCode(err)]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// Problem is an RFC 9457 problem details object. Field and Code are
// extension members naming the input at fault and the geotag error code.
type Problem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail,omitempty"`
	Instance string `json:"instance,omitempty"`
	Code     string `json:"code,omitempty"`
	Field    string `json:"field,omitempty"`
}

// writeError answers err as application/problem+json and aborts the chain.
// Internal errors are logged with their real message and answered with a
// generic one, so that disk and driver details never reach clients.
func (s *Server) writeError(c *gin.Context, err error) {
	code := geotag.ErrorCode(err)
	status := ErrorStatus(err)
	if status >= 500 && !errors.Is(err, errPanic) {
		s.logger.Error("request failed", "method", c.Request.Method, "path", c.Request.URL.Path, "err", err)
	}
	p := Problem{
		Type:     "about:blank",
		Title:    http.StatusText(status),
		Status:   status,
		Detail:   geotag.ErrorMessage(err),
		Instance: c.Request.URL.Path,
		Code:     code,
		Field:    geotag.ErrorField(err),
	}
	if status == http.StatusUnauthorized {
		c.Header("WWW-Authenticate", `Bearer realm="geotag"`)
	}
	writeProblem(c, p)
}

func writeProblem(c *gin.Context, p Problem) {
	b, _ := json.Marshal(p)
	c.Abort()
	c.Data(p.Status, "application/problem+json", b)
}

var errPanic = errors.New("panic")
