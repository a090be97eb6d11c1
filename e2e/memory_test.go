package e2e

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"net/url"
	"sync/atomic"
	"time"
)

// errDropped is what a client sees when a fake closes the connection
// without an answer.
var errDropped = errors.New("connection closed without an answer")

// wroteRequest tells httpx that the request reached the server, as a real
// transport does once the headers are on the wire: its rule that a write is
// never repeated blindly depends on it.
func wroteRequest(req *http.Request) {
	if tr := httptrace.ContextClientTrace(req.Context()); tr != nil && tr.WroteHeaders != nil {
		tr.WroteHeaders()
	}
}

// readBody reads and closes a request body.
func readBody(req *http.Request) ([]byte, error) {
	if req.Body == nil {
		return nil, nil
	}
	defer req.Body.Close()
	return io.ReadAll(req.Body)
}

// handlerTransport serves each request with a fake's http.Handler in the
// calling goroutine: no sockets, so inside a testing/synctest bubble every
// wait — rate limiter, fake latency, retry backoff — runs on the bubble's
// clock.
type handlerTransport struct{ h http.Handler }

// RoundTrip implements http.RoundTripper.
func (t handlerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	body, err := readBody(req)
	if err != nil {
		return nil, err
	}
	wroteRequest(req)
	in := req.Clone(req.Context())
	in.Body = io.NopCloser(bytes.NewReader(body))
	in.ContentLength = int64(len(body))
	in.RequestURI = req.URL.RequestURI() // the fakes verify signatures over it
	in.RemoteAddr = "192.0.2.1:50000"
	rec := httptest.NewRecorder()
	if dropped := serve(t.h, rec, in); dropped {
		return nil, errDropped
	}
	resp := rec.Result()
	resp.Request = req
	return resp, nil
}

// serve runs h; a handler that aborts (how the fakes drop a connection when
// they cannot hijack it) reports dropped.
func serve(h http.Handler, w http.ResponseWriter, r *http.Request) (dropped bool) {
	defer func() {
		if v := recover(); v != nil {
			if v != http.ErrAbortHandler {
				panic(v)
			}
			dropped = true
		}
	}()
	h.ServeHTTP(w, r)
	return false
}

// hostRouter sends each request to the transport of its host.
type hostRouter map[string]http.RoundTripper

// RoundTrip implements http.RoundTripper.
func (r hostRouter) RoundTrip(req *http.Request) (*http.Response, error) {
	if t, ok := r[req.URL.Host]; ok {
		return t.RoundTrip(req)
	}
	return nil, errors.New("e2e: no fake serves host " + req.URL.Host)
}

// hostOf returns the host[:port] of a URL.
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		panic(err)
	}
	return u.Host
}

// bridge carries requests from inside a synctest bubble to a fake that
// only listens on loopback (eaccountingtest exposes no http.Handler). The
// network round trip happens in worker goroutines started outside the
// bubble, over channels made outside it: the bubble's clock stands still
// while a request is on the wire (a goroutine waiting on such a channel is
// not durably blocked) and moves on once the answer is back, so the wire
// costs no virtual time. The fake's own latency would be real time, so the
// bridge adds the latency itself, on the bubble's clock.
type bridge struct {
	latency atomic.Int64 // a time.Duration added to every answer
	calls   chan bridgeCall
	replies chan chan bridgeReply // a pool of reply channels, made outside the bubble
	hc      *http.Client
}

type bridgeCall struct {
	method, url string
	header      http.Header
	body        []byte
	reply       chan bridgeReply
}

type bridgeReply struct {
	status int
	header http.Header
	body   []byte
	err    error
}

// newBridge starts n workers. Call it outside any bubble; close stops them.
func newBridge(n int) *bridge {
	b := &bridge{calls: make(chan bridgeCall), replies: make(chan chan bridgeReply, n),
		hc: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: n}, Timeout: time.Minute}}
	for range n {
		b.replies <- make(chan bridgeReply, 1)
		go b.work()
	}
	return b
}

func (b *bridge) work() {
	for c := range b.calls {
		c.reply <- b.do(c)
	}
}

func (b *bridge) do(c bridgeCall) bridgeReply {
	req, err := http.NewRequestWithContext(context.Background(), c.method, c.url, bytes.NewReader(c.body))
	if err != nil {
		return bridgeReply{err: err}
	}
	req.Header = c.header
	resp, err := b.hc.Do(req)
	if err != nil {
		return bridgeReply{err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return bridgeReply{status: resp.StatusCode, header: resp.Header, body: body, err: err}
}

// RoundTrip implements http.RoundTripper; call it inside the bubble.
func (b *bridge) RoundTrip(req *http.Request) (*http.Response, error) {
	body, err := readBody(req)
	if err != nil {
		return nil, err
	}
	wroteRequest(req)
	time.Sleep(time.Duration(b.latency.Load()))
	reply := <-b.replies
	b.calls <- bridgeCall{method: req.Method, url: req.URL.String(), header: req.Header.Clone(), body: body, reply: reply}
	r := <-reply
	b.replies <- reply
	if r.err != nil {
		return nil, r.err
	}
	return &http.Response{StatusCode: r.status, Status: http.StatusText(r.status), Header: r.header, Proto: "HTTP/1.1",
		ProtoMajor: 1, ProtoMinor: 1, Body: io.NopCloser(bytes.NewReader(r.body)), ContentLength: int64(len(r.body)), Request: req}, nil
}

// close stops the workers.
func (b *bridge) close() {
	close(b.calls)
	b.hc.CloseIdleConnections()
}
