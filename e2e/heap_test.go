package e2e

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"golang.org/x/oauth2"

	"github.com/tradelink/tradelink/ccvshop"
	"github.com/tradelink/tradelink/ccvshop/ccvshoptest"
	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/eaccounting"
	"github.com/tradelink/tradelink/eaccounting/eaccountingtest"
	"github.com/tradelink/tradelink/flow"
	"github.com/tradelink/tradelink/internal/demo"
	"github.com/tradelink/tradelink/internal/verto"
)

// fakesEnv, when set to a number of products, turns the test binary into
// the fake servers of BenchmarkHeap100kProducts (see TestMain).
const fakesEnv = "TRADELINK_E2E_FAKES"

// TestMain serves the fakes in a child process when fakesEnv is set, and
// runs the tests otherwise.
func TestMain(m *testing.M) {
	if n := os.Getenv(fakesEnv); n != "" {
		if err := serveFakes(n, os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "e2e fakes:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// fakeAddrs is what the child process tells the benchmark: where the fakes
// listen, and a token the eAccounting fake accepts.
type fakeAddrs struct {
	Shop  string        `json:"shop"`  // the catalogue front, before the CCV Shop fake
	Books string        `json:"books"` // the articles front, before the eAccounting fake
	Token string        `json:"token_endpoint"`
	Auth  *oauth2.Token `json:"token"`
}

// catalogueFront serves the CCV Shop API for the heap benchmark: GET
// /products/ pages through n generated simple products (in four
// categories, SKUs numbered like the demo's), signed as the platform signs;
// everything else goes to the CCV Shop fake, which holds the categories.
// The fake itself cannot list 100 000 products: every page of GET
// /products/ builds the view of every product, and each view scans every
// product-category link, so one page costs O(products × links) — streaming
// 10 000 products from it takes over a minute.
func catalogueFront(shop *ccvshoptest.Server, n int) http.Handler {
	var cats []int64
	for _, name := range []string{"Keuken", "Wonen", "Tuin", "Textiel"} {
		cats = append(cats, int64(shop.AddCategory(ccvshop.Category{Name: name}).ID))
	}
	target, err := url.Parse(shop.URL())
	if err != nil {
		panic(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	creds := shop.Credentials()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if r.Method != http.MethodGet || strings.TrimSuffix(r.URL.Path, "/") != strings.TrimSuffix(verto.PathPrefix+"products", "/") ||
			q.Has("productnumber") {
			proxy.ServeHTTP(w, r)
			return
		}
		start, _ := strconv.Atoi(q.Get("start"))
		size, _ := strconv.Atoi(q.Get("size"))
		size = min(max(size, 1), verto.MaxPageSize)
		link := func(at int) string {
			qq := url.Values{}
			for k, v := range q {
				qq[k] = v
			}
			qq.Set("start", strconv.Itoa(at))
			qq.Set("size", strconv.Itoa(size))
			return "http://" + r.Host + r.URL.Path + "?" + qq.Encode()
		}
		page := ccvshop.Collection[ccvshop.Product]{Href: link(start), Start: ccvshop.Int(start), Size: ccvshop.Int(size), First: link(0)}
		for i := start; i < min(start+size, n); i++ {
			id := int64(1_000_000 + i)
			cat := cats[i%len(cats)]
			page.Items = append(page.Items, ccvshop.Product{ID: ccvshop.Int(id), Productnumber: strconv.Itoa(100001 + i),
				Name: "Artikel " + strconv.Itoa(i+1), Shortdescription: "Handgemaakt",
				Price: ccvshop.Number{Decimal: decimal.New(int64(495+i%60*100), -2)}, Taxtariff: "normal", Vatrate: ccvshop.Num("21"),
				IsActive: true, Stockenabled: true, Stock: ccvshop.Number{Decimal: decimal.NewFromInt(int64(i % 50))},
				Attributecombinations: &ccvshop.Expandable[ccvshop.AttributeCombination]{Collection: []ccvshop.AttributeCombination{}},
				Productphotos:         &ccvshop.Expandable[ccvshop.ProductPhoto]{Collection: []ccvshop.ProductPhoto{}},
				Producttocategories: &ccvshop.Expandable[ccvshop.ProductToCategory]{Collection: []ccvshop.ProductToCategory{
					{ID: ccvshop.Int(2_000_000 + i), ProductID: ccvshop.Int(id), CategoryID: ccvshop.Int(cat)}}},
			})
		}
		if start+size < n {
			page.Next = link(start + size)
		}
		body, err := json.Marshal(page)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		date := verto.FormatDate(time.Now())
		w.Header().Set(verto.HeaderDate, date)
		w.Header().Set(verto.HeaderHash, verto.Sign(creds.PublicKey, creds.Secret, r.Method, r.RequestURI, body, date))
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	})
}

// serveFakes is the child process: a CCV Shop fake with n products, the
// eAccounting fake behind the articles front, their addresses as one JSON
// line on out, and then service until in closes.
func serveFakes(arg string, in io.Reader, out io.Writer) error {
	n, err := strconv.Atoi(arg)
	if err != nil {
		return fmt.Errorf("%s=%q: want a number of products", fakesEnv, arg)
	}
	shop := ccvshoptest.New()
	defer shop.Close()
	shop.DisableLimits()
	catalogue := httptest.NewServer(catalogueFront(shop, n))
	defer catalogue.Close()
	books := eaccountingtest.New(eaccountingtest.WithRateLimit(1<<30, time.Minute))
	defer books.Close()
	front := httptest.NewServer(articlesFront(books))
	defer front.Close()
	addrs := fakeAddrs{Shop: catalogue.URL, Books: front.URL + "/v2", Token: books.Endpoint().TokenURL, Auth: books.Token()}
	if err := json.NewEncoder(out).Encode(addrs); err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, in) // until the benchmark closes stdin
	return err
}

// articlesFront serves the eAccounting API for the heap benchmark: article
// look-ups by number answer "none" (the catalogue is new to eAccounting)
// and article creates are answered with the article and a new Id, keeping
// nothing; everything else goes to the eAccounting fake. The fake itself
// cannot take 100 000 articles: its look-up ($filter) and its unique-number
// check scan every article, so a first sync of n products costs it O(n²) —
// 8 000 products already take about a minute.
func articlesFront(books *eaccountingtest.Server) http.Handler {
	target, err := url.Parse(books.URL())
	if err != nil {
		panic(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	var seq atomic.Int64
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v2/articles" {
			proxy.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		switch {
		case r.Method == http.MethodGet && strings.Contains(r.URL.Query().Get("$filter"), "Number"):
			_ = json.NewEncoder(w).Encode(eaccounting.Page[eaccounting.Article]{
				Meta: eaccounting.Meta{CurrentPage: 1, PageSize: eaccounting.DefaultPageSize}, Data: []eaccounting.Article{}})
		case r.Method == http.MethodPost:
			var a eaccounting.Article
			if err := json.NewDecoder(r.Body).Decode(&a); err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			a.ID = fmt.Sprintf("00000000-0000-4000-8000-%012d", seq.Add(1))
			w.WriteHeader(http.StatusCreated)
			_ = json.NewEncoder(w).Encode(a)
		default:
			proxy.ServeHTTP(w, r)
		}
	})
}

// startFakes runs the child process and returns the fakes' addresses; the
// child ends when the benchmark does.
func startFakes(b *testing.B, products int) fakeAddrs {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$", "-test.bench=^$")
	cmd.Env = append(os.Environ(), fakesEnv+"="+strconv.Itoa(products))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		stdin.Close()
		if err := cmd.Wait(); err != nil {
			b.Errorf("fake servers: %v", err)
		}
	})
	line, err := bufio.NewReader(stdout).ReadBytes('\n')
	if err != nil {
		b.Fatalf("fake servers did not start: %v", err)
	}
	var addrs fakeAddrs
	if err := json.Unmarshal(line, &addrs); err != nil {
		b.Fatalf("fake servers: %v: %q", err, line)
	}
	return addrs
}

// heapPeak samples the heap until stop is called and returns the peaks of
// HeapInuse (the heap's footprint, garbage not yet collected included) and
// of the live heap the last garbage collection found (runtime/metrics
// /gc/heap/live:bytes: what the program really holds).
func heapPeak() (stop func() (inuse, live uint64)) {
	var peak, peakLive atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		var ms runtime.MemStats
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > peakLive.Load() {
				peakLive.Store(v)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	return func() (uint64, uint64) {
		close(done)
		wg.Wait()
		return peak.Load(), peakLive.Load()
	}
}

// Knobs of BenchmarkHeap100kProducts for looking into its figure:
// heapProductsEnv syncs another number of products, heapProfileEnv names a
// file that receives a heap profile taken right after the run, while the
// connectors and the report are still alive.
const (
	heapProductsEnv = "TRADELINK_E2E_HEAP_PRODUCTS"
	heapProfileEnv  = "TRADELINK_E2E_HEAP_PROFILE"
)

func writeHeapProfile(b *testing.B) {
	path := os.Getenv(heapProfileEnv)
	if path == "" {
		return
	}
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	runtime.GC()
	if err := pprof.WriteHeapProfile(f); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkHeap100kProducts reports tradelink's peak heap while the product
// flow of CCV Shop → eAccounting syncs 100 000 products (goal < 64 MiB):
// peak-live-MiB is what tradelink holds (the live heap the garbage
// collector finds), peak-HeapInuse-MiB the heap's footprint, which under
// the default GOGC=100 also counts garbage not yet collected, up to about
// twice the live heap. Measured on the reference machine: 36 MiB live and
// 71 MiB in use by default; with GOMEMLIMIT=56MiB, 42 MiB live and 48 MiB in
// use at the same speed. The real CCV Shop client and connector read them over
// loopback HTTP in pages of 250, the flow maps and hashes them, the SQLite
// store keeps links and hashes, and the real eAccounting client and
// connector look each up and create it.
//
// The fake servers run in a child process (this test binary, re-executed
// with fakesEnv set), so their storage is not in the figure. The
// eAccounting side is served by articlesFront, because the eAccounting
// fake's article storage is quadratic in the catalogue (see there); every
// other eAccounting call (token, company settings, codings, units) is the
// fake's own.
func BenchmarkHeap100kProducts(b *testing.B) {
	n := 100_000
	if s := os.Getenv(heapProductsEnv); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n <= 0 {
			b.Fatalf("%s=%q: want a number of products", heapProductsEnv, s)
		}
	}
	addrs := startFakes(b, n)
	var peak, live, base uint64
	for b.Loop() {
		hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}, Timeout: time.Minute}
		shopClient, err := ccvshop.NewClient(addrs.Shop, ccvshop.Credentials{PublicKey: ccvshoptest.PublicKey, Secret: ccvshoptest.Secret},
			ccvshop.WithHTTPClient(hc), ccvshop.WithLimiter(nil))
		if err != nil {
			b.Fatal(err)
		}
		shop, err := ccvshop.NewConnector(shopClient, ccvshop.ConnectorConfig{PageSize: 250})
		if err != nil {
			b.Fatal(err)
		}
		booksClient, err := eaccounting.NewClient(addrs.Books, eaccounting.Credentials{
			ClientID: eaccountingtest.ClientID, ClientSecret: connector.Secret(eaccountingtest.ClientSecret),
			RedirectURL: eaccountingtest.RedirectURL, Endpoint: oauth2.Endpoint{TokenURL: addrs.Token, AuthStyle: oauth2.AuthStyleInHeader},
			Store: eaccounting.NewMemoryTokenStore(addrs.Auth),
		}, eaccounting.WithHTTPClient(hc), eaccounting.WithLimiter(nil))
		if err != nil {
			b.Fatal(err)
		}
		books, err := eaccounting.NewConnector(booksClient, eaccounting.ConnectorConfig{ShippingSKU: demo.ShippingSKU, DiscountSKU: demo.DiscountSKU})
		if err != nil {
			b.Fatal(err)
		}
		store, err := flow.OpenSQLite(filepath.Join(b.TempDir(), "state.db"))
		if err != nil {
			b.Fatal(err)
		}
		cfg := demo.PairConfig{Store: store, Flows: map[string]bool{"products": true}}
		cfg.ForSink(books)
		flows, err := demo.Pair(shop, books, cfg)
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		base = ms.HeapInuse
		stop := heapPeak()
		rep, err := flows[0].Run(b.Context())
		peak, live = stop()
		writeHeapProfile(b)
		runtime.KeepAlive(rep) // the report, the connectors and their caches are in the profile
		runtime.KeepAlive(shop)
		runtime.KeepAlive(books)
		store.Close()
		hc.CloseIdleConnections()
		if err != nil || created(rep) != n {
			b.Fatalf("products: %v: %s", err, summary(rep))
		}
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-HeapInuse-MiB")
	b.ReportMetric(float64(live)/(1<<20), "peak-live-MiB")
	b.ReportMetric(float64(base)/(1<<20), "start-HeapInuse-MiB")
}
