package demo

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tradelink/tradelink/connector"
)

// testFlags is a command line with one flag of each kind.
type testFlags struct {
	name   string
	secret connector.Secret
	on     bool
	n      int64
	wait   time.Duration
	alt    string
}

func newTestFlags(env map[string]string, usage *bytes.Buffer) (*Flags, *testFlags) {
	v := &testFlags{}
	f := NewFlags("prog", "Usage: prog [flags]", func(k string) string { return env[k] }, usage)
	f.String(&v.name, "name", "T_NAME", "dflt", "a `name`")
	f.Secret(&v.secret, "secret", "T_SECRET", "a `secret`")
	f.Bool(&v.on, "on", "T_ON", false, "a switch")
	f.Int(&v.n, "n", "T_N", 7, "a number")
	f.Duration(&v.wait, "wait", "T_WAIT", time.Hour, "a duration")
	f.String(&v.alt, "alt", "", "", "no variable")
	return f, v
}

func TestFlagsFlagWinsOverEnvironment(t *testing.T) {
	env := map[string]string{"T_NAME": "from-env", "T_SECRET": "env-secret", "T_ON": "true", "T_N": "42", "T_WAIT": "5m"}
	tests := []struct {
		name string
		args []string
		want testFlags
	}{
		{"defaults without environment", nil, testFlags{name: "dflt", n: 7, wait: time.Hour}},
		{"environment", []string{}, testFlags{name: "from-env", secret: "env-secret", on: true, n: 42, wait: 5 * time.Minute}},
		{"flags win", []string{"-name", "flag", "-secret", "flag-secret", "-on=false", "-n", "1", "-wait", "2s"},
			testFlags{name: "flag", secret: "flag-secret", n: 1, wait: 2 * time.Second}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := env
			if i == 0 {
				e = nil
			}
			f, v := newTestFlags(e, &bytes.Buffer{})
			if err := f.Parse(tt.args); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, *v, cmp.AllowUnexported(testFlags{})); diff != "" {
				t.Errorf("values (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFlagsGiven(t *testing.T) {
	f, _ := newTestFlags(map[string]string{"T_N": "3"}, &bytes.Buffer{})
	if err := f.Parse([]string{"-name", "x"}); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]bool{"name": true, "n": true, "on": false, "secret": false} {
		if got := f.Given(name); got != want {
			t.Errorf("Given(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestFlagsErrors(t *testing.T) {
	const secret = "s3cr3t-value"
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"unknown flag", []string{"-nope"}, nil, "flag provided but not defined: -nope"},
		{"argument", []string{"extra"}, nil, `unexpected argument "extra"`},
		{"bad number flag", []string{"-n", secret}, nil, "flag -n: not a whole number"},
		{"bad duration flag", []string{"-wait=" + secret}, nil, "flag -wait: not a duration"},
		{"bad bool flag", []string{"-on=" + secret}, nil, "flag -on: not a boolean"},
		{"bad number variable", nil, map[string]string{"T_N": secret}, "environment variable T_N (for -n): not a whole number"},
		{"bad bool variable", nil, map[string]string{"T_ON": secret}, "environment variable T_ON (for -on): not a boolean"},
		{"negative duration", nil, map[string]string{"T_WAIT": "-1h"}, "environment variable T_WAIT (for -wait): not a duration"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var usage bytes.Buffer
			f, _ := newTestFlags(tt.env, &usage)
			err := f.Parse(tt.args)
			if !errors.Is(err, ErrUsage) {
				t.Fatalf("Parse = %v, want a usage error", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q lacks %q", err, tt.want)
			}
			if strings.Contains(err.Error()+usage.String(), secret) {
				t.Errorf("the error repeats the value: %q", err)
			}
		})
	}
}

// TestFlagsUsage checks -h: the flags with their variables and defaults,
// and no value from the environment, above all no secret.
func TestFlagsUsage(t *testing.T) {
	var usage bytes.Buffer
	f, _ := newTestFlags(map[string]string{"T_SECRET": "env-secret-value", "T_NAME": "env-name-value"}, &usage)
	if err := f.Parse([]string{"-h"}); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("Parse(-h) = %v, want flag.ErrHelp", err)
	}
	out := usage.String()
	for _, want := range []string{"Usage: prog [flags]", "-name name", "(env T_NAME)", `(default dflt)`, "-secret secret", "(env T_SECRET)", "-n value", "(default 7)", "(default 1h0m0s)"} {
		if !strings.Contains(out, want) {
			t.Errorf("usage lacks %q:\n%s", want, out)
		}
	}
	for _, leak := range []string{"env-secret-value", "env-name-value", "REDACTED"} {
		if strings.Contains(out, leak) {
			t.Errorf("usage shows %q:\n%s", leak, out)
		}
	}
}

func TestFlagsRequire(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		names []string
		want  string // "" means no error
	}{
		{"all set", []string{"-name", "x", "-secret", "y"}, []string{"name", "secret"}, ""},
		{"secret missing", []string{"-name", "x"}, []string{"name", "secret"}, "missing things: set -secret (env T_SECRET) (or run with -demo)"},
		{"both missing", nil, []string{"alt", "secret"}, "missing things: set -alt; -secret (env T_SECRET)"},
		{"one of two", []string{"-alt", "a"}, []string{"alt|secret"}, ""},
		{"neither of two", nil, []string{"alt|secret"}, "set -alt or -secret (env T_SECRET)"},
		{"zero number counts as missing", []string{"-n", "0"}, []string{"alt|n"}, "set -alt or -n (env T_N)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _ := newTestFlags(nil, &bytes.Buffer{})
			if err := f.Parse(tt.args); err != nil {
				t.Fatal(err)
			}
			err := f.Require("things", tt.names...)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Require = %v, want nil", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, ErrUsage)):
				t.Errorf("Require = %v, want a usage error with %q", err, tt.want)
			}
		})
	}
}

func TestExitCode(t *testing.T) {
	tests := []struct {
		err    error
		code   int
		stderr string
	}{
		{nil, 0, ""},
		{flag.ErrHelp, 0, ""},
		{Usagef("bad flag"), 2, "prog: bad flag\n"},
		{errors.New("3 records failed"), 1, "prog: 3 records failed\n"},
	}
	for _, tt := range tests {
		var stderr bytes.Buffer
		if code := ExitCode(&stderr, "prog", tt.err); code != tt.code || stderr.String() != tt.stderr {
			t.Errorf("ExitCode(%v) = %d, %q; want %d, %q", tt.err, code, stderr.String(), tt.code, tt.stderr)
		}
	}
}

// TestCall runs a program body and shows what it wrote and which secrets
// appear.
func TestCall(t *testing.T) {
	prog := func(_ context.Context, args []string, env func(string) string, stdout, stderr io.Writer) error {
		fmt.Fprintln(stdout, "out", env("A"))
		fmt.Fprintln(stderr, "err", args)
		return errors.New("failed " + env("B"))
	}
	o := Call(t.Context(), prog, map[string]string{"A": "alpha", "B": "beta"}, "-x")
	if o.Stdout != "out alpha\n" || o.Stderr != "err [-x]\n" || o.Err == nil {
		t.Fatalf("Call = %+v", o)
	}
	if got := o.Shown("alpha", "beta", "gamma", ""); !cmp.Equal(got, []string{"alpha", "beta"}) {
		t.Errorf("Shown = %q", got)
	}
}
