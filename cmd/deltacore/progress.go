package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// progress is a progress bar on stderr. On a terminal it redraws one line
// at most ten times a second; otherwise (a log file, CI) it prints a line
// every 10 %. It is safe for concurrent use.
type progress struct {
	mu      sync.Mutex
	w       io.Writer
	tty     bool
	label   string
	total   int
	done    int
	start   time.Time
	last    time.Time
	lastPct int
	quiet   bool
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// newProgress starts a bar for total units of work. quiet silences it.
func newProgress(label string, total int, quiet bool) *progress {
	return &progress{w: os.Stderr, tty: isTerminal(os.Stderr), label: label, total: max(total, 1),
		start: time.Now(), lastPct: -1, quiet: quiet}
}

// Add records n more units done.
func (p *progress) Add(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.set(p.done + n)
}

// Set records that done units are done in all.
func (p *progress) Set(done int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.set(done)
}

func (p *progress) set(done int) {
	p.done = done
	if p.quiet {
		return
	}
	now := time.Now()
	pct := 100 * p.done / p.total
	if p.tty {
		if now.Sub(p.last) < 100*time.Millisecond && p.done < p.total {
			return
		}
		p.last = now
		const width = 30
		fill := width * p.done / p.total
		bar := strings.Repeat("=", fill) + strings.Repeat(" ", width-fill)
		fmt.Fprintf(p.w, "\r%s [%s] %3d%% %d/%d %s", p.label, bar, pct, p.done, p.total, p.eta(now))
		return
	}
	if pct/10 > p.lastPct/10 || p.done == p.total {
		p.lastPct = pct
		fmt.Fprintf(p.w, "%s: %3d%% (%d/%d) %s\n", p.label, pct, p.done, p.total, p.eta(now))
	}
}

func (p *progress) eta(now time.Time) string {
	el := now.Sub(p.start)
	if p.done >= p.total {
		return "in " + el.Round(100*time.Millisecond).String()
	}
	if p.done == 0 {
		return ""
	}
	left := time.Duration(float64(el) * float64(p.total-p.done) / float64(p.done))
	return "ETA " + left.Round(time.Second).String()
}

// Finish clears the bar's line, so that what follows starts clean.
func (p *progress) Finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tty && !p.quiet {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
