// Command load-client is the load process of `npm run bench:load`: the same protocol, traffic and report as
// bench/load/load-client.ts (read that file first: it is the reference and the fallback), in Go, because a
// Node load process burns a large share of one of the 2 cores it shares with the servers it measures.
//
// Mixed traffic — 80% ResolveEnvironment, 10% GetEnvironment, 5% ListEnvironments (page of 20), 5%
// UpdateEnvironment — over h2c gRPC against one or more replicas, 2 connections per replica, round-robin.
// Closed loop (`concurrency` callers back to back) or open loop (`rate` calls per second on a fixed schedule,
// latency from the scheduled start, shedding beyond 4096 in flight).
// Input: one JSON argument (LoadPlan). Output: one JSON line (LoadReport) on stdout.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	openescv1 "github.com/openesc/openesc/sdks/go/gen/openesc/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// Ref names one environment of the plan's organization.
type Ref struct {
	Project     string `json:"project"`
	Environment string `json:"environment"`
}

// LoadPlan is the input (bench/load/load-client.ts LoadPlan).
type LoadPlan struct {
	Targets     []string `json:"targets"`
	Token       string   `json:"token"`
	Seconds     float64  `json:"seconds"`
	Rate        float64  `json:"rate"` // calls per second on a fixed schedule; 0 = closed loop
	Concurrency int      `json:"concurrency"`
	Org         string   `json:"org"`
	Resolve     []Ref    `json:"resolve"`
	Get         []Ref    `json:"get"`
	ListProject string   `json:"listProject"`
	Update      []Ref    `json:"update"` // environments only this process updates, one update in flight each
}

// OpReport and LoadReport are the output (bench/load/load-client.ts), field for field and in the same order.
type OpReport struct {
	Count  int            `json:"count"`
	Errors map[string]int `json:"errors"`
	P50    float64        `json:"p50"`
	P99    float64        `json:"p99"`
	Max    float64        `json:"max"`
}

type LoadReport struct {
	Seconds float64 `json:"seconds"`
	Rps     float64 `json:"rps"`
	Total   int     `json:"total"`
	Errors  int     `json:"errors"`
	Ops     struct {
		Resolve OpReport `json:"resolve"`
		Get     OpReport `json:"get"`
		List    OpReport `json:"list"`
		Update  OpReport `json:"update"`
	} `json:"ops"`
	Shed           int     `json:"shed"`
	LoadCPUSeconds float64 `json:"loadCpuSeconds"`
}

type op int

const (
	opResolve op = iota
	opGet
	opList
	opUpdate
	opCount
)

var paths = [opCount]string{
	"/openesc.v1.OpenService/ResolveEnvironment",
	"/openesc.v1.EnvironmentService/GetEnvironment",
	"/openesc.v1.EnvironmentService/ListEnvironments",
	"/openesc.v1.EnvironmentService/UpdateEnvironment",
}

// codeNames are grpc-js's `status` enum names, so that both load processes report errors alike.
var codeNames = []string{
	"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
	"PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
	"UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
}

func codeName(err error) string {
	c := int(status.Code(err))
	if c >= 0 && c < len(codeNames) {
		return codeNames[c]
	}
	return strconv.Itoa(c)
}

type lane struct {
	ref  Ref
	base int64
	busy bool
}

type loader struct {
	plan   LoadPlan
	conns  []*grpc.ClientConn
	ctx    context.Context // carries the authorization metadata
	next   atomic.Uint64
	start  time.Time
	reqs   [opCount][][]byte // requests marshalled once (update requests change: built per call)
	mu     sync.Mutex        // guards lanes, latencies and errors
	lanes  []*lane
	lat    [opCount][]float64 // milliseconds
	errors [opCount]map[string]int
}

// ms is the time since the loader started, in milliseconds (Node's performance.now() equivalent here).
func (l *loader) ms() float64 { return float64(time.Since(l.start).Nanoseconds()) / 1e6 }

func pick() op {
	r := rand.Float64() * 100
	switch {
	case r < 80:
		return opResolve
	case r < 90:
		return opGet
	case r < 95:
		return opList
	default:
		return opUpdate
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		fail(err)
	}
	return b
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "load-client: %v\n", err)
	os.Exit(1)
}

// call makes one call and records it; `scheduled` is when it should have started (ms since l.start).
func (l *loader) call(kind op, scheduled float64) {
	conn := l.conns[(l.next.Add(1)-1)%uint64(len(l.conns))]
	var ln *lane
	var req []byte
	if kind == opUpdate {
		var base int64
		l.mu.Lock()
		for _, c := range l.lanes {
			if !c.busy {
				ln, base = c, c.base
				c.busy = true
				break
			}
		}
		l.mu.Unlock()
		if ln == nil {
			kind = opGet // every lane busy: this slot becomes a read
		} else {
			req = must(proto.Marshal(&openescv1.UpdateEnvironmentRequest{
				Org: l.plan.Org, Project: ln.ref.Project, Environment: ln.ref.Environment,
				Definition: fmt.Sprintf("values:\n  counter: %d\n  note: load\n", base), BaseRevision: base,
			}))
		}
	}
	if req == nil {
		xs := l.reqs[kind]
		req = xs[rand.IntN(len(xs))]
	}
	var res response
	res.keep = ln != nil
	err := conn.Invoke(l.ctx, paths[kind], req, &res)
	latency := l.ms() - scheduled
	var number int64
	if err == nil && ln != nil {
		var out openescv1.UpdateEnvironmentResponse
		if proto.Unmarshal(res.bytes, &out) == nil && out.GetRevision() != nil {
			number = out.GetRevision().GetNumber()
		}
	}
	l.mu.Lock()
	l.lat[kind] = append(l.lat[kind], latency)
	if err != nil {
		l.errors[kind][codeName(err)]++
	} else if number != 0 {
		ln.base = number
	}
	if ln != nil {
		ln.busy = false
	}
	l.mu.Unlock()
}

func report(xs []float64, errors map[string]int) OpReport {
	sort.Float64s(xs)
	at := func(p float64) float64 {
		if len(xs) == 0 {
			return 0
		}
		return xs[min(len(xs)-1, int(p/100*float64(len(xs))))]
	}
	r := OpReport{Count: len(xs), Errors: errors, P50: at(50), P99: at(99)}
	if len(xs) > 0 {
		r.Max = xs[len(xs)-1]
	}
	return r
}

func cpuSeconds() float64 {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		fail(err)
	}
	tv := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
	return tv(u.Utime) + tv(u.Stime)
}

func main() {
	if len(os.Args) < 2 {
		fail(fmt.Errorf("usage: load-client '<LoadPlan JSON>'"))
	}
	cpuAtStart := cpuSeconds()
	// One thread runs Go code (as in the Node client) unless GOMAXPROCS says otherwise: a few thousand calls
	// per second fit in a fraction of a core, and a second P only adds work stealing and wake-ups (measured
	// here: about half the CPU per call in the closed loop, less in the open loop).
	if os.Getenv("GOMAXPROCS") == "" {
		runtime.GOMAXPROCS(1)
	}
	var plan LoadPlan
	if err := json.Unmarshal([]byte(os.Args[1]), &plan); err != nil {
		fail(fmt.Errorf("LoadPlan: %w", err))
	}
	l := &loader{plan: plan, start: time.Now()}
	// Two HTTP/2 connections per replica: each ClientConn holds its own.
	for _, t := range plan.Targets {
		for i := range 2 {
			conn, err := grpc.NewClient("passthrough:///"+t,
				grpc.WithTransportCredentials(insecure.NewCredentials()),
				grpc.WithUserAgent(fmt.Sprintf("load-%d", i)),
				// Fixed flow-control windows turn off grpc-go's bandwidth estimation, whose PINGs would
				// otherwise follow a lone response on an idle connection (open loop): syscalls for nothing.
				grpc.WithInitialWindowSize(4<<20),
				grpc.WithInitialConnWindowSize(16<<20),
				grpc.WithDefaultCallOptions(grpc.ForceCodecV2(rawCodec{})))
			if err != nil {
				fail(err)
			}
			l.conns = append(l.conns, conn)
		}
	}
	l.ctx = metadata.AppendToOutgoingContext(context.Background(), "authorization", "Bearer "+plan.Token)
	for k := range l.errors {
		l.errors[k] = map[string]int{}
	}
	// An empty list sends the organization alone, as the Node client's `{ org, ...undefined }` does.
	orEmpty := func(xs []Ref) []Ref {
		if len(xs) == 0 {
			return []Ref{{}}
		}
		return xs
	}
	for _, r := range orEmpty(plan.Resolve) {
		l.reqs[opResolve] = append(l.reqs[opResolve], must(proto.Marshal(&openescv1.ResolveEnvironmentRequest{Org: plan.Org, Project: r.Project, Environment: r.Environment})))
	}
	for _, r := range orEmpty(plan.Get) {
		l.reqs[opGet] = append(l.reqs[opGet], must(proto.Marshal(&openescv1.GetEnvironmentRequest{Org: plan.Org, Project: r.Project, Environment: r.Environment})))
	}
	l.reqs[opList] = [][]byte{must(proto.Marshal(&openescv1.ListEnvironmentsRequest{Org: plan.Org, Project: plan.ListProject, PageSize: 20}))}

	// Each lane starts from its environment's latest revision (an earlier run may have moved it).
	var wg sync.WaitGroup
	for _, r := range plan.Update {
		ln := &lane{ref: r, base: 1}
		l.lanes = append(l.lanes, ln)
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := must(proto.Marshal(&openescv1.GetEnvironmentRequest{Org: plan.Org, Project: r.Project, Environment: r.Environment}))
			res := response{keep: true}
			if err := l.conns[0].Invoke(l.ctx, paths[opGet], req, &res); err != nil {
				fail(fmt.Errorf("GetEnvironment %s/%s: %w", r.Project, r.Environment, err))
			}
			var out openescv1.GetEnvironmentResponse
			if err := proto.Unmarshal(res.bytes, &out); err != nil {
				fail(err)
			}
			if out.GetRevision() != nil {
				ln.base = out.GetRevision().GetNumber()
			}
		}()
	}
	wg.Wait()

	started := l.ms()
	end := started + plan.Seconds*1000
	shed := 0
	if plan.Rate == 0 {
		for range plan.Concurrency {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for now := l.ms(); now < end; now = l.ms() {
					l.call(pick(), now)
				}
			}()
		}
		wg.Wait()
	} else {
		var inflight atomic.Int64
		issued := 0
		interval := 1000 / plan.Rate
		for now := l.ms(); now < end; now = l.ms() {
			for started+float64(issued)*interval <= now {
				scheduled := started + float64(issued)*interval
				issued++
				if inflight.Load() >= 4096 {
					shed++
					continue
				}
				inflight.Add(1)
				wg.Add(1)
				go func(kind op) {
					defer wg.Done()
					l.call(kind, scheduled)
					inflight.Add(-1)
				}(pick())
			}
			time.Sleep(time.Millisecond)
		}
		wg.Wait()
	}
	seconds := (l.ms() - started) / 1000
	for _, c := range l.conns {
		c.Close()
	}

	var r LoadReport
	r.Ops.Resolve = report(l.lat[opResolve], l.errors[opResolve])
	r.Ops.Get = report(l.lat[opGet], l.errors[opGet])
	r.Ops.List = report(l.lat[opList], l.errors[opList])
	r.Ops.Update = report(l.lat[opUpdate], l.errors[opUpdate])
	for _, o := range []OpReport{r.Ops.Resolve, r.Ops.Get, r.Ops.List, r.Ops.Update} {
		r.Total += o.Count
		for _, n := range o.Errors {
			r.Errors += n
		}
	}
	r.Errors += shed
	r.Seconds, r.Rps, r.Shed = seconds, float64(r.Total)/seconds, shed
	r.LoadCPUSeconds = cpuSeconds() - cpuAtStart
	out, err := json.Marshal(r)
	if err != nil {
		fail(err)
	}
	fmt.Println(string(out))
}
