package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/tradelink/tradelink/ccvshop"
	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/eaccounting"
	"github.com/tradelink/tradelink/flow"
	"github.com/tradelink/tradelink/mpluskassa"
)

// DefaultStatuses are the order statuses the pair programs sync unless told
// otherwise: orders being handled or done, never new, cancelled or
// refunded ones.
var DefaultStatuses = []connector.OrderStatus{connector.StatusProcessing, connector.StatusShipped,
	connector.StatusDelivered, connector.StatusCompleted}

// DefaultLookback is how far back before its cursor each order run looks
// again by default (see Settings.Lookback).
const DefaultLookback = 72 * time.Hour

// Settings are the command-line settings the CCV Shop pair programs share:
// the shop, which flows run on which orders, the mapping file, the state
// database and the modes.
type Settings struct {
	// ShopURL, ShopPublicKey and ShopSecret reach the CCV Shop API.
	ShopURL, ShopPublicKey string
	ShopSecret             connector.Secret

	Flows, Statuses, Kind, Mapping, DB, Since string
	PaidOnly                                  bool
	// Lookback makes each order run read this far back before its cursor:
	// CCV Shop orders carry only a creation date, so an order paid or
	// shipped days after it was placed is seen again this way.
	Lookback time.Duration

	Plan, Demo, Quiet, Reveal bool

	kinds []connector.OrderKind
}

// Register adds the shared flags to f. kinds are the order kinds the sink
// takes, the default first.
func (s *Settings) Register(f *Flags, kinds ...connector.OrderKind) {
	s.kinds = kinds
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = string(k)
	}
	f.String(&s.ShopURL, "shop-url", "CCVSHOP_URL", "", "CCV Shop `URL`, e.g. https://myshop.example.nl")
	f.String(&s.ShopPublicKey, "shop-public-key", "CCVSHOP_PUBLIC_KEY", "", "CCV Shop API public `key`")
	f.Secret(&s.ShopSecret, "shop-secret", "CCVSHOP_SECRET", "CCV Shop API `secret`")
	f.String(&s.Flows, "flows", "TRADELINK_FLOWS", "all", "comma-separated `flows` to run: "+strings.Join(FlowsAll, ", ")+" or all")
	f.String(&s.Statuses, "statuses", "TRADELINK_ORDER_STATUSES", statusList(DefaultStatuses),
		"comma-separated order `statuses` to sync ("+statusList(connector.Statuses)+") or all")
	f.Bool(&s.PaidOnly, "paid-only", "TRADELINK_PAID_ONLY", true, "sync paid orders only")
	f.String(&s.Kind, "kind", "TRADELINK_ORDER_KIND", names[0], "what orders become in the sink (`kind`): "+strings.Join(names, ", "))
	f.String(&s.Mapping, "mapping", "TRADELINK_MAPPING", "", "mapping overrides, a JSON `file` (see mapping.example.json)")
	f.String(&s.DB, "db", "TRADELINK_DB", "tradelink.db", "state database `file` (SQLite): links, hashes and cursors")
	f.String(&s.Since, "since", "TRADELINK_SINCE", "", "on the first run, sync only records changed since this `date` (2006-01-02 or RFC 3339)")
	f.Duration(&s.Lookback, "lookback", "TRADELINK_LOOKBACK", DefaultLookback, "how far back (a `duration`) each run looks again for orders paid or shipped later")
	f.Bool(&s.Plan, "plan", "", false, "dry run: print what would be written, with field diffs, and write nothing")
	f.Bool(&s.Demo, "demo", "", false, "run on in-process fake systems with demo data (no credentials, no network; state in a temporary database)")
	f.Bool(&s.Quiet, "q", "", false, "print the summary only, not a line per record")
	f.Bool(&s.Reveal, "reveal-personal-data", "", false, "show e-mail addresses, names and addresses unmasked in the log and diffs")
}

func statusList(ss []connector.OrderStatus) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return strings.Join(out, ",")
}

// PairConfig turns the settings into a pair configuration (without Store,
// Observer and Logger) and loads the mapping file. Errors name the flag.
func (s *Settings) PairConfig(f *Flags) (PairConfig, error) {
	var cfg PairConfig
	var err error
	if cfg.Flows, err = FlowNames(s.Flows, FlowsAll); err != nil {
		return cfg, Usagef("%s: %v", f.Name("flows"), err)
	}
	if cfg.Statuses, err = ParseStatuses(s.Statuses); err != nil {
		return cfg, Usagef("%s: %v", f.Name("statuses"), err)
	}
	cfg.Kind = connector.OrderKind(strings.TrimSpace(s.Kind))
	if !slices.Contains(s.kinds, cfg.Kind) {
		return cfg, Usagef("%s: unknown order kind %q (want %s)", f.Name("kind"), s.Kind, kindList(s.kinds))
	}
	if cfg.Since, err = parseSince(s.Since); err != nil {
		return cfg, Usagef("%s: %v", f.Name("since"), err)
	}
	if s.Mapping != "" {
		if cfg.Overrides, err = LoadMappings(s.Mapping); err != nil {
			return cfg, Usagef("%w", err)
		}
	}
	cfg.PaidOnly, cfg.Lookback, cfg.RevealPersonalData = s.PaidOnly, s.Lookback, s.Reveal
	return cfg, nil
}

func kindList(kinds []connector.OrderKind) string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = string(k)
	}
	if len(names) == 1 {
		return names[0] + " only"
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// ParseStatuses parses a comma-separated list of canonical order statuses;
// "" or "all" means no status filter (nil).
func ParseStatuses(list string) ([]connector.OrderStatus, error) {
	list = strings.TrimSpace(list)
	if list == "" || list == "all" {
		return nil, nil
	}
	var out []connector.OrderStatus
	for _, part := range strings.Split(list, ",") {
		st := connector.OrderStatus(strings.TrimSpace(part))
		if !st.Valid() {
			return nil, fmt.Errorf("unknown order status %q (known: %s)", part, statusList(connector.Statuses))
		}
		out = append(out, st)
	}
	return out, nil
}

func parseSince(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date (2006-01-02) or an RFC 3339 time", s)
	}
	return t, nil
}

// Runs reports whether the settings select the flow name (as far as
// -flows parses; PairConfig reports a bad list).
func (s *Settings) Runs(name string) bool {
	flows, err := FlowNames(s.Flows, FlowsAll)
	return err == nil && flows[name]
}

// Note writes a remark about the settings to w when the real systems are
// used and the order flow runs: for settings that orders need only now
// and then, such as a shipping article, which the sink reports per order.
func (s *Settings) Note(w io.Writer, program string, missing bool, remark string) {
	if missing && !s.Demo && s.Runs("orders") {
		fmt.Fprintf(w, "%s: note: %s\n", program, remark)
	}
}

// RequireShop returns an error naming each CCV Shop setting that is
// missing.
func (s *Settings) RequireShop(f *Flags) error {
	return f.Require("CCV Shop settings", "shop-url", "shop-public-key", "shop-secret")
}

// Shop returns the CCV Shop connector of the settings (see RequireShop).
func (s *Settings) Shop(opts ...ccvshop.Option) (*ccvshop.Connector, error) {
	c, err := ccvshop.NewClient(s.ShopURL, ccvshop.Credentials{PublicKey: s.ShopPublicKey, Secret: s.ShopSecret}, opts...)
	if err != nil {
		return nil, err
	}
	return ccvshop.NewConnector(c, ccvshop.ConnectorConfig{})
}

// systemNames are the systems' names for people.
var systemNames = map[string]string{
	ccvshop.SystemName: "CCV Shop", eaccounting.SystemName: "Visma eAccounting", mpluskassa.SystemName: "MplusKASSA",
}

// SinkEnd is the sink side of a pair program.
type SinkEnd struct {
	// Require returns an error naming the sink settings that are missing.
	Require func() error
	// Open returns the sink's connector against the real system; meter
	// counts its calls.
	Open func(ctx context.Context, meter *Meter) (connector.System, error)
	// Demo returns the sink's connector on the fakes.
	Demo func(f *Fakes) (connector.System, error)
}

// RunPair is a pair program once its flags are parsed: it opens the CCV
// Shop, the sink and the state database — fake systems with demo data and
// a temporary database in demo mode — and runs a Session, writing to out.
// Missing settings of both ends are named in one error.
func (s *Settings) RunPair(ctx context.Context, f *Flags, sink SinkEnd, out io.Writer) error {
	cfg, err := s.PairConfig(f)
	if err != nil {
		return err
	}
	meter := NewMeter()
	var src *ccvshop.Connector
	var dst connector.System
	var closeStore func() error
	if s.Demo {
		fakes := StartFakes(Options{}, meter)
		defer fakes.Close()
		if src, err = fakes.ShopConnector(); err != nil {
			return err
		}
		if dst, err = sink.Demo(fakes); err != nil {
			return err
		}
		d := fakes.Data
		fmt.Fprintf(out, "demo: fake CCV Shop → fake %s, in-process; %d products (%d variants), %d customers, %d orders (%d paid); state in a temporary database\n",
			systemNames[dst.System()], d.Products, d.Variants, d.Users, d.Orders, d.Paid)
		cfg.Store, closeStore, err = TempStore()
	} else {
		if err := errors.Join(s.RequireShop(f), sink.Require()); err != nil {
			return err
		}
		if src, err = s.Shop(ccvshop.WithObserver(meter.Observer(ccvshop.SystemName))); err != nil {
			return err
		}
		if dst, err = sink.Open(ctx, meter); err != nil {
			return err
		}
		var store *flow.SQLStore
		store, err = flow.OpenSQLite(s.DB)
		cfg.Store, closeStore = store, store.Close
	}
	if err != nil {
		return fmt.Errorf("state database: %w", err)
	}
	defer closeStore()
	cfg.ForSink(dst)
	_, err = Session{Src: src, Sink: dst, Config: cfg, Plan: s.Plan, Quiet: s.Quiet, Meter: meter, Out: out}.Run(ctx)
	return err
}
