package demo

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"time"

	"github.com/tradelink/tradelink/connector"
)

// ErrUsage marks an error in the command line or the environment: a
// program exits with status 2 on it, as the flag package does.
var ErrUsage = errors.New("usage")

// usageError is a command-line error; it matches ErrUsage and what it
// wraps.
type usageError struct{ err error }

func (e *usageError) Error() string        { return e.err.Error() }
func (e *usageError) Unwrap() error        { return e.err }
func (e *usageError) Is(target error) bool { return target == ErrUsage }

// Usagef returns an error matching ErrUsage, formatted as fmt.Errorf does
// (%w wraps).
func Usagef(format string, args ...any) error {
	return &usageError{err: fmt.Errorf(format, args...)}
}

// Flags is a command line whose flags can also be given as environment
// variables; a flag on the command line wins over its variable.
//
// Secrets (see Flags.Secret) are connector.Secret values: the usage text
// never shows them — a flag's default in the usage is the one given at
// registration, never a value from the environment — and errors never
// repeat them.
type Flags struct {
	fs       *flag.FlagSet
	env      func(string) string
	usage    io.Writer
	synopsis string
	vars     map[string]string // flag name → environment variable
	order    []string
	given    map[string]string // flag name → "-flag" or "$VAR"
	bad      error             // the last failed Set, worded without the value
}

// NewFlags returns an empty command line for program name. env looks up
// environment variables (os.Getenv); -h prints synopsis and the flags to
// usage.
func NewFlags(name, synopsis string, env func(string) string, usage io.Writer) *Flags {
	if env == nil {
		env = func(string) string { return "" }
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are returned, not printed twice
	return &Flags{fs: fs, env: env, usage: usage, synopsis: synopsis, vars: map[string]string{}, given: map[string]string{}}
}

func (f *Flags) add(v flag.Value, name, envVar, usage string) {
	if envVar != "" {
		usage += " (env " + envVar + ")"
		f.vars[name] = envVar
	}
	f.order = append(f.order, name)
	f.fs.Var(v, name, usage)
}

// String registers a string flag.
func (f *Flags) String(p *string, name, envVar, def, usage string) {
	*p = def
	f.add(&stringValue{p: p}, name, envVar, usage)
}

// Secret registers a credential flag. It has no default and its value is
// never shown.
func (f *Flags) Secret(p *connector.Secret, name, envVar, usage string) {
	f.add(&secretValue{p: p}, name, envVar, usage)
}

// Bool registers a boolean flag; it takes the values strconv.ParseBool
// takes (1, true, 0, false, ...).
func (f *Flags) Bool(p *bool, name, envVar string, def bool, usage string) {
	*p = def
	v := &boolParsed{parsed[bool]{p: p, show: strconv.FormatBool, fail: f.failed(name), parse: func(s string) (bool, error) {
		b, err := strconv.ParseBool(s)
		if err != nil {
			return false, errors.New("not a boolean (true or false)")
		}
		return b, nil
	}}}
	f.add(v, name, envVar, usage)
}

// Int registers an integer flag.
func (f *Flags) Int(p *int64, name, envVar string, def int64, usage string) {
	*p = def
	show := func(n int64) string { return strconv.FormatInt(n, 10) }
	f.add(&parsed[int64]{p: p, show: show, fail: f.failed(name), parse: func(s string) (int64, error) {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, errors.New("not a whole number")
		}
		return n, nil
	}}, name, envVar, usage)
}

// Duration registers a duration flag ("72h", "30m").
func (f *Flags) Duration(p *time.Duration, name, envVar string, def time.Duration, usage string) {
	*p = def
	f.add(&parsed[time.Duration]{p: p, show: time.Duration.String, fail: f.failed(name), parse: func(s string) (time.Duration, error) {
		d, err := time.ParseDuration(s)
		if err != nil || d < 0 {
			return 0, errors.New("not a duration such as 72h or 30m")
		}
		return d, nil
	}}, name, envVar, usage)
}

// failed returns the hook a typed value calls when Set fails.
func (f *Flags) failed(name string) func(error) {
	return func(err error) { f.bad = fmt.Errorf("flag -%s: %w", name, err) }
}

// Parse reads args, then the environment variables of the flags args did
// not set. -h and -help print the usage and return flag.ErrHelp; other
// errors match ErrUsage.
func (f *Flags) Parse(args []string) error {
	if err := f.fs.Parse(args); err != nil {
		switch {
		case errors.Is(err, flag.ErrHelp):
			f.PrintUsage()
			return err
		case f.bad != nil:
			return Usagef("%v (run with -h for the flags)", f.bad)
		}
		return Usagef("%v (run with -h for the flags)", err)
	}
	if f.fs.NArg() > 0 {
		return Usagef("unexpected argument %q (flags only; run with -h for the flags)", f.fs.Arg(0))
	}
	f.fs.Visit(func(fl *flag.Flag) { f.given[fl.Name] = "-" + fl.Name })
	for _, name := range f.order {
		envVar := f.vars[name]
		if _, set := f.given[name]; set || envVar == "" {
			continue
		}
		v := f.env(envVar)
		if v == "" {
			continue
		}
		if err := f.fs.Set(name, v); err != nil {
			// The value is not repeated: it may be a misplaced secret.
			return Usagef("environment variable %s (for -%s): %v", envVar, name, err)
		}
		f.given[name] = "$" + envVar
	}
	return nil
}

// Given reports whether the flag name was set on the command line or
// through its environment variable.
func (f *Flags) Given(name string) bool {
	_, ok := f.given[name]
	return ok
}

// Name returns how a flag is set: "-name (env VAR)".
func (f *Flags) Name(name string) string {
	if v := f.vars[name]; v != "" {
		return "-" + name + " (env " + v + ")"
	}
	return "-" + name
}

// Require returns an error naming every required flag of names that is
// empty, for what ("CCV Shop settings"). A name "a|b" requires one of
// the flags a and b.
func (f *Flags) Require(what string, names ...string) error {
	var missing []string
	for _, n := range names {
		var alts []string
		set := false
		for alt := range strings.SplitSeq(n, "|") {
			if fl := f.fs.Lookup(alt); fl != nil && fl.Value.String() != "" && fl.Value.String() != "0" {
				set = true
			}
			alts = append(alts, f.Name(alt))
		}
		if !set {
			missing = append(missing, strings.Join(alts, " or "))
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return Usagef("missing %s: set %s (or run with -demo)", what, strings.Join(missing, "; "))
}

// PrintUsage writes the synopsis and the flags.
func (f *Flags) PrintUsage() {
	fmt.Fprintf(f.usage, "%s\n\nFlags (a flag wins over its environment variable):\n", strings.TrimSpace(f.synopsis))
	f.fs.SetOutput(f.usage)
	f.fs.PrintDefaults()
	f.fs.SetOutput(io.Discard)
}

// The flag values. Each holds a pointer to the variable it sets and, for
// the typed ones, reports a failed Set to the Flags so that the error can
// be worded without the value (flag's own message quotes it, and the value
// might be a credential given to the wrong flag). Their zero values print
// as the zero of their type, which flag's usage relies on.

type stringValue struct{ p *string }

func (s *stringValue) String() string {
	if s == nil || s.p == nil {
		return ""
	}
	return *s.p
}
func (s *stringValue) Set(v string) error { *s.p = v; return nil }

// secretValue shows "[REDACTED]" when set, so flag's usage never prints a
// credential.
type secretValue struct{ p *connector.Secret }

func (s *secretValue) String() string {
	if s == nil || s.p == nil {
		return ""
	}
	return s.p.String()
}
func (s *secretValue) Set(v string) error { *s.p = connector.Secret(v); return nil }

// parsed is a typed value: parse converts the text, show formats it.
type parsed[T any] struct {
	p     *T
	parse func(string) (T, error)
	show  func(T) string
	fail  func(error)
}

func (v *parsed[T]) String() string {
	var zero T
	if v == nil || v.p == nil {
		if v == nil || v.show == nil {
			return fmt.Sprint(zero)
		}
		return v.show(zero)
	}
	return v.show(*v.p)
}

func (v *parsed[T]) Set(s string) error {
	x, err := v.parse(s)
	if err != nil {
		v.fail(err)
		return err
	}
	*v.p = x
	return nil
}

// boolParsed is a parsed bool: -flag alone means -flag=true.
type boolParsed struct{ parsed[bool] }

func (b *boolParsed) IsBoolFlag() bool { return true }

// ExitCode writes err to stderr, prefixed with the program's name, and
// returns the program's exit status: 0 without an error or for -h, 2 for a
// usage error, 1 for anything else.
func ExitCode(stderr io.Writer, program string, err error) int {
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, ErrUsage):
		fmt.Fprintf(stderr, "%s: %v\n", program, err)
		return 2
	}
	fmt.Fprintf(stderr, "%s: %v\n", program, err)
	return 1
}

// RunFunc is the testable body of a program: its arguments (without the
// program name), its environment and its output are parameters.
type RunFunc func(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) error

// Main runs a program's body with the process's arguments, environment and
// output, cancels its context on an interrupt (the flows stop cleanly and
// keep what they finished), and exits with ExitCode's status.
func Main(program string, run RunFunc) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(ExitCode(os.Stderr, program, err))
}

// Output is what one call of a RunFunc wrote, and its error.
type Output struct {
	Stdout, Stderr string
	Err            error
}

// Text is everything a user would see of the call.
func (o Output) Text() string {
	s := o.Stdout + o.Stderr
	if o.Err != nil {
		s += o.Err.Error()
	}
	return s
}

// Shown returns those of values (credentials, tokens) that appear in the
// call's output or error; empty values never count.
func (o Output) Shown(values ...string) []string {
	var out []string
	text := o.Text()
	for _, v := range values {
		if v != "" && strings.Contains(text, v) {
			out = append(out, v)
		}
	}
	return out
}

// Call runs run with args and an environment holding env's entries only,
// as tests of a program do.
func Call(ctx context.Context, run RunFunc, env map[string]string, args ...string) Output {
	var stdout, stderr bytes.Buffer
	err := run(ctx, args, func(k string) string { return env[k] }, &stdout, &stderr)
	return Output{Stdout: stdout.String(), Stderr: stderr.String(), Err: err}
}
