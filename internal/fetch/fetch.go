// Package fetch is the service's one HTTP client for outgoing requests
// (feeds, article pages, webhooks): every request a user can point at a URL
// goes through it. It allows http and https only; it checks the address it
// actually connects to (after DNS, at connect time, so a name that resolves
// to a public address when checked and a private one when used gets
// nowhere) and refuses loopback, private, link-local, CGNAT, multicast,
// unspecified, reserved and cloud-metadata addresses, IPv4 and IPv6 alike
// (IPv4-mapped and NAT64 addresses by the IPv4 address they carry), unless
// the host or a CIDR holding the address is on the allow list; it re-checks
// every redirect and caps their number; it caps the body (an error when a
// body is longer, never a silently cut one) and the time a request may take;
// it sends no cookies and no credentials; and it names itself in a
// User-Agent.
package fetch

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/geotag/geotag"
)

// Defaults of Options.
const (
	DefaultMaxBytes      = 8 << 20
	DefaultTimeout       = 30 * time.Second
	DefaultHeaderTimeout = 10 * time.Second
	DefaultMaxRedirects  = 5
	DefaultUserAgent     = "geotag/1 (+https://github.com/geotag/geotag)"
)

// Options configure a Client. Zero fields mean the defaults.
type Options struct {
	// Allow lists host names (exact, case-insensitive) and addresses or
	// CIDRs that may be fetched even though they are private or local
	// (ParseAllow reads them as `serve --allow-fetch-hosts` takes them).
	Allow Allow
	// MaxBytes caps a response body; reading more returns an ETOOLARGE
	// error.
	MaxBytes int64
	// Timeout bounds a whole request, redirects and body included.
	Timeout time.Duration
	// HeaderTimeout bounds the wait for the response headers after the
	// request is sent (and, apart, the connect and the TLS handshake).
	HeaderTimeout time.Duration
	// MaxRedirects caps the redirects followed.
	MaxRedirects int
	UserAgent    string
}

// Client makes safe outgoing requests. It is safe for concurrent use.
type Client struct {
	hc       *http.Client
	maxBytes int64
	ua       string
}

// New returns a Client for o.
func New(o Options) *Client {
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.HeaderTimeout <= 0 {
		o.HeaderTimeout = DefaultHeaderTimeout
	}
	if o.MaxRedirects <= 0 {
		o.MaxRedirects = DefaultMaxRedirects
	}
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent
	}
	allow := o.Allow
	checked := &net.Dialer{
		Timeout: o.HeaderTimeout,
		Control: func(network, address string, _ syscall.RawConn) error { return allow.check(address) },
	}
	plain := &net.Dialer{Timeout: o.HeaderTimeout}
	tr := &http.Transport{
		Proxy: nil, // a proxy would be the address connected to, and checked
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, _, _ := net.SplitHostPort(addr)
			if allow.host(host) {
				return plain.DialContext(ctx, network, addr)
			}
			return checked.DialContext(ctx, network, addr)
		},
		TLSHandshakeTimeout:    o.HeaderTimeout,
		ResponseHeaderTimeout:  o.HeaderTimeout,
		MaxIdleConns:           16,
		IdleConnTimeout:        30 * time.Second,
		MaxResponseHeaderBytes: 64 << 10,
	}
	max := o.MaxRedirects
	hc := &http.Client{
		Transport: tr,
		Timeout:   o.Timeout,
		Jar:       nil,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > max {
				return geotag.Errorf(geotag.EUNPROCESSABLE, "more than %d redirects", max)
			}
			if err := checkURL(req.URL); err != nil {
				return err
			}
			stripCredentials(req.Header)
			return nil
		},
	}
	return &Client{hc: hc, maxBytes: o.MaxBytes, ua: o.UserAgent}
}

// Do sends req as the client's rules say and returns the response, whose
// body reads at most the byte cap (then an ETOOLARGE error). The caller
// closes the body. It returns EINVALID for a URL that is not http(s) or
// that carries a user name or password, EUNPROCESSABLE for a refused
// address or redirect, a failed connection or a timeout (the client's or
// ctx's deadline), ETOOLARGE for a declared Content-Length over the cap,
// and ctx's error when ctx is cancelled.
// Authorization and Cookie headers are removed.
func (c *Client) Do(req *http.Request) (*http.Response, error) {
	if err := checkURL(req.URL); err != nil {
		return nil, err
	}
	stripCredentials(req.Header)
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", c.ua)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, describe(req.Context(), err)
	}
	if resp.ContentLength > c.maxBytes {
		resp.Body.Close()
		return nil, tooLarge(c.maxBytes)
	}
	resp.Body = &capped{r: resp.Body, left: c.maxBytes, max: c.maxBytes}
	return resp, nil
}

// Get fetches u with the headers h (may be nil).
func (c *Client) Get(ctx context.Context, u string, h http.Header) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, geotag.FieldErrorf(geotag.EINVALID, "url", "not a URL: %v", err)
	}
	for k, vs := range h {
		req.Header[k] = vs
	}
	return c.Do(req)
}

// ReadAll reads a response body to its end within the cap.
func ReadAll(resp *http.Response) ([]byte, error) {
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, describe(resp.Request.Context(), err)
	}
	return b, nil
}

// CheckURL returns EINVALID for a URL that is not an absolute http(s) URL
// or that carries credentials.
func CheckURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, geotag.FieldErrorf(geotag.EINVALID, "url", "not a URL")
	}
	return u, checkURL(u)
}

func checkURL(u *url.URL) error {
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return geotag.FieldErrorf(geotag.EINVALID, "url", "only absolute http and https URLs can be fetched")
	}
	if u.User != nil {
		return geotag.FieldErrorf(geotag.EINVALID, "url", "a URL with a user name or password is not fetched")
	}
	return nil
}

func stripCredentials(h http.Header) {
	h.Del("Authorization")
	h.Del("Proxy-Authorization")
	h.Del("Cookie")
}

// describe turns a client error into a geotag error with a message an
// analyst can act on, keeping a geotag error found in its chain.
func describe(ctx context.Context, err error) error {
	var ge *geotag.Error
	var ne net.Error
	switch {
	case errors.As(err, &ge):
		return ge
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return geotag.Errorf(geotag.EUNPROCESSABLE, "the site did not answer in time")
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.As(err, &ne) && ne.Timeout():
		return geotag.Errorf(geotag.EUNPROCESSABLE, "the site did not answer in time")
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return geotag.Errorf(geotag.EUNPROCESSABLE, "fetch failed: %v", err)
}

func tooLarge(max int64) error {
	return geotag.Errorf(geotag.ETOOLARGE, "the response is larger than %d bytes", max)
}

// capped reads at most max bytes of r, then fails with ETOOLARGE if r has
// more.
type capped struct {
	r    io.ReadCloser
	left int64
	max  int64
}

func (c *capped) Read(p []byte) (int, error) {
	if c.left <= 0 {
		var one [1]byte
		n, err := c.r.Read(one[:])
		if n > 0 {
			return 0, tooLarge(c.max)
		}
		return 0, err
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

func (c *capped) Close() error { return c.r.Close() }

// Allow is an allow list of hosts and networks that may be fetched though
// local or private.
type Allow struct {
	hosts []string
	nets  []netip.Prefix
}

// ParseAllow reads a comma-separated list of host names, addresses and
// CIDRs ("localhost,127.0.0.1,10.0.0.0/8"). It returns EINVALID naming
// the first entry that is none of them.
func ParseAllow(s string) (Allow, error) {
	var a Allow
	for _, e := range strings.Split(s, ",") {
		e = strings.TrimSpace(e)
		if e == "" {
			continue
		}
		if p, err := netip.ParsePrefix(e); err == nil {
			a.nets = append(a.nets, p.Masked())
			continue
		}
		if ip, err := netip.ParseAddr(e); err == nil {
			ip = ip.Unmap()
			a.nets = append(a.nets, netip.PrefixFrom(ip, ip.BitLen()))
			continue
		}
		if !validHost(e) {
			return Allow{}, geotag.Errorf(geotag.EINVALID, "allowed fetch host %q is not a host name, address or CIDR", e)
		}
		a.hosts = append(a.hosts, strings.ToLower(e))
	}
	return a, nil
}

func validHost(h string) bool {
	if len(h) > 253 {
		return false
	}
	for _, r := range h {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}

func (a Allow) host(h string) bool {
	for _, x := range a.hosts {
		if strings.EqualFold(x, h) {
			return true
		}
	}
	return false
}

// check refuses to connect to address (IP:port) when its IP is not public
// and no allowed network holds it.
func (a Allow) check(address string) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return geotag.Errorf(geotag.EUNPROCESSABLE, "refusing to connect to %q", address)
	}
	ip := ap.Addr().Unmap()
	for _, p := range a.nets {
		if p.Contains(ip) {
			return nil
		}
	}
	if why := Blocked(ip); why != "" {
		return geotag.Errorf(geotag.EUNPROCESSABLE, "refusing to fetch from %s: %s address (serve --allow-fetch-hosts lists exceptions)", ip, why)
	}
	return nil
}

var blocked = []struct {
	p   netip.Prefix
	why string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "unspecified"},
	{netip.MustParsePrefix("100.64.0.0/10"), "carrier-grade NAT"},
	{netip.MustParsePrefix("192.0.0.0/24"), "reserved"},
	{netip.MustParsePrefix("192.0.2.0/24"), "documentation"},
	{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking"},
	{netip.MustParsePrefix("198.51.100.0/24"), "documentation"},
	{netip.MustParsePrefix("203.0.113.0/24"), "documentation"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved"},
	{netip.MustParsePrefix("::/96"), "IPv4-compatible"},
	{netip.MustParsePrefix("100::/64"), "discard"},
	{netip.MustParsePrefix("2001:db8::/32"), "documentation"},
	{netip.MustParsePrefix("fec0::/10"), "site-local"},
}

// Blocked returns why ip may not be fetched without an allow-list entry
// ("loopback", "private", "link-local or metadata"…), or "" for a public
// address. IPv4-mapped, NAT64 (64:ff9b::/96) and 6to4 (2002::/16)
// addresses are judged by the IPv4 address they carry.
func Blocked(ip netip.Addr) string {
	ip = ip.Unmap()
	if ip.Is6() {
		b := ip.As16()
		switch {
		case netip.MustParsePrefix("64:ff9b::/96").Contains(ip):
			return Blocked(netip.AddrFrom4([4]byte(b[12:16])))
		case netip.MustParsePrefix("2002::/16").Contains(ip):
			return Blocked(netip.AddrFrom4([4]byte(b[2:6])))
		}
	}
	switch {
	case !ip.IsValid():
		return "invalid"
	case ip.IsUnspecified():
		return "unspecified"
	case ip.IsLoopback():
		return "loopback"
	case ip.IsPrivate():
		return "private"
	case ip.IsLinkLocalUnicast():
		return "link-local or metadata"
	case ip.IsMulticast(), ip.IsInterfaceLocalMulticast(), ip.IsLinkLocalMulticast():
		return "multicast"
	case ip == netip.AddrFrom4([4]byte{255, 255, 255, 255}):
		return "broadcast"
	}
	for _, b := range blocked {
		if b.p.Contains(ip) {
			return b.why
		}
	}
	return ""
}

// String lists the allow list as ParseAllow reads it.
func (a Allow) String() string {
	var parts []string
	parts = append(parts, a.hosts...)
	for _, p := range a.nets {
		parts = append(parts, p.String())
	}
	return strings.Join(parts, ",")
}
