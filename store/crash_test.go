package store_test

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/store"
)

// The crash test re-executes this test binary as a child that writes
// reports and prints each acknowledged write, kills it with SIGKILL at a
// random moment, and checks the file. GEOTAG_CRASH_CYCLES sets the number
// of kills (default 6; e.g. 500 for a long run).
const crashChildEnv = "GEOTAG_STORE_CRASH_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(crashChildEnv) != "" {
		crashChild()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// crashReport is the deterministic content of write number seq.
func crashReport(seq int) *geotag.Report {
	r := &geotag.Report{
		ExternalID: fmt.Sprint("crash:", seq),
		Title:      fmt.Sprintf("crash %d", seq),
		Text:       strings.Repeat(fmt.Sprintf("text of report %d. ", seq), 1+seq%97),
		Time:       time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(seq*7919%500000) * time.Minute),
		Tags:       []string{fmt.Sprint("t", seq%5)},
	}
	if seq%4 != 0 {
		r.Location = &geotag.Location{Lat: float64(seq%170) - 85, Lon: float64(seq%350) - 175, Precision: 1, Mention: -1,
			Provenance: geotag.Provenance{Method: geotag.MethodAuto}}
	}
	return r
}

// crashChild writes until killed. Output lines, each printed only after the
// write returned nil:
//
//	C seq id        a created report
//	U id n          the report's n-th update (title "crash seq upd n")
//	F seq id        a feed item's report and then its item state (as the
//	                feed poller writes them: two transactions)
func crashChild() {
	db, err := store.Open(os.Getenv("GEOTAG_STORE_CRASH_DB"), &store.Options{Timeout: 10 * time.Second})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	seq, _ := strconv.Atoi(os.Getenv("GEOTAG_STORE_CRASH_SEQ"))
	out := bufio.NewWriter(os.Stdout)
	rnd := rand.New(rand.NewPCG(uint64(seq), 7))
	type made struct {
		id   string
		seq  int
		upds int
	}
	var mine []*made
	fd := &geotag.Feed{URL: "https://crash.example/rss"}
	if err := db.CreateFeed(ctx, fd); err != nil && geotag.ErrorCode(err) != geotag.ECONFLICT {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	for {
		switch k := rnd.IntN(12); {
		case k >= 10:
			r := crashReport(seq)
			r.ExternalID = fmt.Sprint("crashfeed:", seq)
			err := db.CreateReport(ctx, r)
			if err == nil {
				err = db.PutFeedItem(ctx, fd.ID, fmt.Sprint("g:", seq), geotag.FeedItemState{ReportID: r.ID, Hash: "h", Updated: r.Updated})
			}
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(3)
			}
			fmt.Fprintf(out, "F %d %s\n", seq, r.ID)
			seq++
		case k < 5 || len(mine) == 0:
			r := crashReport(seq)
			if err := db.CreateReport(ctx, r); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(3)
			}
			fmt.Fprintf(out, "C %d %s\n", seq, r.ID)
			mine = append(mine, &made{r.ID, seq, 0})
			seq++
		case k < 7:
			rs := make([]*geotag.Report, 1+rnd.IntN(300))
			for i := range rs {
				rs[i] = crashReport(seq)
				seq++
			}
			if _, err := db.Import(ctx, rs); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(3)
			}
			for _, r := range rs {
				n, _ := strconv.Atoi(strings.TrimPrefix(r.ExternalID, "crash:"))
				fmt.Fprintf(out, "C %d %s\n", n, r.ID)
				mine = append(mine, &made{r.ID, n, 0})
			}
		default:
			m := mine[rnd.IntN(len(mine))]
			_, err := db.UpdateReport(ctx, m.id, func(r *geotag.Report) error {
				r.Title = fmt.Sprintf("crash %d upd %d", m.seq, m.upds+1)
				r.Status = geotag.StatusReviewed
				return nil
			})
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(3)
			}
			m.upds++
			fmt.Fprintf(out, "U %s %d\n", m.id, m.upds)
		}
		out.Flush()
	}
}

func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test re-executes the test binary")
	}
	cycles := 6
	if s := os.Getenv("GEOTAG_CRASH_CYCLES"); s != "" {
		cycles, _ = strconv.Atoi(s)
	}
	path := filepath.Join(t.TempDir(), "geotag.db")
	rnd := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	type acked struct {
		seq  int
		upds int
	}
	all := map[string]*acked{}
	items := map[string]string{} // acknowledged feed items: key → report id
	for cycle := 0; cycle < cycles; cycle++ {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), crashChildEnv+"=1", "GEOTAG_STORE_CRASH_DB="+path,
			fmt.Sprint("GEOTAG_STORE_CRASH_SEQ=", (cycle+1)*1000000))
		var stderr strings.Builder
		cmd.Stderr = &stderr
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		delay := time.Duration(50+rnd.IntN(400)) * time.Millisecond
		timer := time.AfterFunc(delay, func() { cmd.Process.Signal(syscall.SIGKILL) })
		// Only whole lines are acknowledgements: the kill can cut the last
		// one short.
		rd := bufio.NewReader(stdout)
		lines := 0
		for {
			line, err := rd.ReadString('\n')
			if err != nil {
				break
			}
			f := strings.Fields(line)
			switch {
			case len(f) == 3 && f[0] == "C":
				seq, _ := strconv.Atoi(f[1])
				all[f[2]] = &acked{seq: seq}
			case len(f) == 3 && f[0] == "F":
				items["g:"+f[1]] = f[2]
			case len(f) == 3 && f[0] == "U":
				n, _ := strconv.Atoi(f[2])
				all[f[1]].upds = n
			default:
				t.Fatalf("child printed %q", line)
			}
			lines++
		}
		timer.Stop()
		err = cmd.Wait()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
			t.Fatalf("cycle %d: child ended by itself (%v): %s", cycle, err, stderr.String())
		}

		// Reopen: every acknowledged write is there, intact, and the file
		// and its indexes check clean.
		db, err := store.Open(path, nil)
		if err != nil {
			t.Fatalf("cycle %d: reopen: %v", cycle, err)
		}
		if err := db.Verify(); err != nil {
			t.Fatalf("cycle %d (killed after %v, %d acks): %v", cycle, delay, lines, err)
		}
		for id, a := range all {
			got, err := db.FindReportByID(ctx, id)
			if err != nil {
				t.Fatalf("cycle %d: acknowledged report %s (seq %d): %v", cycle, id, a.seq, err)
			}
			want := crashReport(a.seq)
			if got.ExternalID != want.ExternalID || got.Text != want.Text || !got.Time.Equal(want.Time) ||
				(got.Location == nil) != (want.Location == nil) || strings.Join(got.Tags, ",") != strings.Join(want.Tags, ",") {
				t.Fatalf("cycle %d: report %s differs from what was written", cycle, id)
			}
			// The acknowledged update is there; at most one more, the one in
			// flight at the kill, may be too.
			upds := 0
			if _, after, ok := strings.Cut(got.Title, " upd "); ok {
				upds, _ = strconv.Atoi(after)
			}
			if upds < a.upds || upds > a.upds+1 {
				t.Fatalf("cycle %d: report %s has update %d, acknowledged %d", cycle, id, upds, a.upds)
			}
			a.upds = upds
		}
		// Every acknowledged feed item's state names its report.
		if len(items) > 0 {
			fs, err := db.ListFeeds(ctx)
			if err != nil || len(fs) != 1 {
				t.Fatalf("cycle %d: feeds %v, %v; want the one", cycle, fs, err)
			}
			keys := make([]string, 0, len(items))
			for k := range items {
				keys = append(keys, k)
			}
			got, err := db.FeedItems(ctx, fs[0].ID, keys)
			if err != nil {
				t.Fatal(err)
			}
			for k, id := range items {
				if got[k].ReportID != id {
					t.Fatalf("cycle %d: feed item %s names report %q, want %s", cycle, k, got[k].ReportID, id)
				}
				if _, err := db.FindReportByID(ctx, id); err != nil {
					t.Fatalf("cycle %d: feed item %s's report %s: %v", cycle, k, id, err)
				}
			}
		}
		n, _ := db.Count()
		db.Close()
		if n < len(all) {
			t.Fatalf("cycle %d: %d reports, %d acknowledged", cycle, n, len(all))
		}
		t.Logf("cycle %d: killed after %v; %d acknowledged writes this run, %d reports stored, %d feed items", cycle, delay, lines, n, len(items))
	}
	if len(all) == 0 {
		t.Fatal("no write was acknowledged in any cycle")
	}
}
