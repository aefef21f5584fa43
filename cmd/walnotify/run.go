package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jackc/pglogrepl"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"golang.org/x/sync/errgroup"
	"golang.org/x/time/rate"

	"walnotify/cdc"
	"walnotify/erpdb"
	"walnotify/internal/grace"
	"walnotify/pipeline"
	"walnotify/prereq"
	"walnotify/rules"
	"walnotify/sender"
)

// shutdownGrace bounds how long in-flight work may take after SIGINT/SIGTERM.
const shutdownGrace = 20 * time.Second

func cmdRun(ctx context.Context, env *cmdEnv, args []string) error {
	fs, path := newFlags(env, "run")
	profile := fs.String("cpuprofile", "", "write a CPU profile of the daemon to this file when it stops (go tool pprof)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *profile != "" {
		stop, err := startProfile(*profile)
		if err != nil {
			return err
		}
		defer stop()
	}
	cfg, err := loadConfig(env, *path)
	if err != nil {
		return err
	}
	log := newLogger(env.stderr, cfg.Log)
	tuneGC(env.getenv)
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	d := &daemon{path: *path, log: log, reload: hup}
	return d.run(ctx, cfg)
}

// newLogger builds the daemon's logger from the [log] section. LSNs are written as PostgreSQL
// writes them (0/1A5A0B0) and durations as Go duration strings (1.5s), in JSON too, where
// they would otherwise be bare integers.
func newLogger(w interface{ Write([]byte) (int, error) }, c rules.Log) *slog.Logger {
	var level slog.Level
	level.UnmarshalText([]byte(c.Level))
	opts := &slog.HandlerOptions{Level: level, ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		switch v := a.Value.Any().(type) {
		case pglogrepl.LSN:
			a.Value = slog.StringValue(v.String())
		case time.Duration:
			a.Value = slog.StringValue(v.String())
		}
		return a
	}}
	if c.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// daemon is `walnotify run`: the composition root that wires stream -> rules -> render ->
// outbox -> workers under one context.
type daemon struct {
	path   string
	log    *slog.Logger
	reload <-chan os.Signal
	// tune, if set, adjusts the parts before they start (tests: short polls and backoffs).
	tune func(*parts)
	// serverVersion is the database's server_version_num, read at start.
	serverVersion int
	// reloadOK and reloadTime export the outcome of the last load of the rules.
	reloadOK, reloadTime prometheus.Gauge
}

// reloaded records the outcome of a load of the rules file.
func (d *daemon) reloaded(ok bool) {
	if ok {
		d.reloadOK.Set(1)
		d.reloadTime.SetToCurrentTime()
		return
	}
	d.reloadOK.Set(0)
}

// parts are the daemon's components, exposed to tune.
type parts struct {
	stream   *cdc.Config
	pipeline *pipeline.Pipeline
	worker   func(*sender.Worker)
	// housekeeping is how often the outbox is healed and expired (default a minute).
	housekeeping time.Duration
}

func (d *daemon) run(ctx context.Context, cfg *rules.Config) error {
	log := d.log
	poolCfg, err := pgxpool.ParseConfig(cfg.Database.DSN.Reveal())
	if err != nil {
		return fmt.Errorf("database.dsn: %w", cfg.Database.DSN.Redact(err))
	}
	erpdb.Configure(poolCfg)
	sender.ConfigurePool(poolCfg)
	// The pipeline, the daily pass, reloads, purges and metrics share the pool; each webhook's
	// worker has a connection of its own, so a reload that adds webhooks takes none from it.
	poolCfg.MaxConns = 6
	pool, err := pgxpool.NewWithConfig(ctx, poolCfg)
	if err != nil {
		return fmt.Errorf("database: %w", cfg.Database.DSN.Redact(err))
	}
	defer pool.Close()
	if err := waitForDatabase(ctx, pool, log); err != nil {
		if ctx.Err() != nil {
			return nil // stopped while waiting: a normal stop
		}
		return err
	}

	outbox := sender.NewOutbox(pool, cfg.Database.StateSchema, cfg.Database.Slot)
	if err := outbox.Migrate(ctx); err != nil {
		return err
	}
	docs := erpdb.New(pool, cfg.Database.Schema, *cfg.Database.TablePrefix)
	if d.serverVersion, err = erpdb.ServerVersion(ctx, pool); err != nil {
		return err
	}
	if err := pipeline.CheckServer(d.serverVersion, cfg); err != nil {
		return err
	}
	rs, err := d.prepare(ctx, cfg, pool, docs)
	if err != nil {
		return err
	}
	warnPrerequisites(ctx, pool, cfg, log)

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	senderMetrics := sender.NewMetrics(reg)
	build := readBuildInfo()
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "walnotify_build_info", Help: "Always 1; the labels say which build runs.",
		ConstLabels: prometheus.Labels{"version": build.Version, "commit": build.Commit, "goversion": build.GoVersion},
	}, func() float64 { return 1 }))
	d.reloadOK = prometheus.NewGauge(prometheus.GaugeOpts{Name: "walnotify_config_last_reload_successful", Help: "1 when the last load of the rules file (start or SIGHUP) succeeded, 0 when it was rejected."})
	d.reloadTime = prometheus.NewGauge(prometheus.GaugeOpts{Name: "walnotify_config_last_reload_success_timestamp_seconds", Help: "When the rules file was last loaded successfully."})
	reg.MustRegister(d.reloadOK, d.reloadTime)
	d.reloaded(true)
	current := &atomic.Pointer[pipeline.Rules]{}
	current.Store(rs)

	gaps := prometheus.NewCounter(prometheus.CounterOpts{Name: "walnotify_gap_total", Help: "Ranges of WAL lost with the replication slot (dropped, or missing after a failover) since start."})
	reg.MustRegister(gaps)
	streamCfg := cdc.Config{
		DSN: cfg.Database.DSN.Reveal(), Slot: cfg.Database.Slot, Publication: cfg.Database.Publication,
		Resume: outbox.Position, Logger: log.With("component", "stream"),
		OnGap: func(ctx context.Context, g cdc.Gap) error {
			gaps.Inc()
			return outbox.RecordGap(ctx, g.Slot, g.From, g.To, g.Reason())
		},
	}
	workers := &workerSet{outbox: outbox, log: log, metrics: senderMetrics, running: map[string]*runningWorker{}}
	pipeMetrics := pipeline.NewMetrics(reg)
	lookup := pipeMetrics.Lookup(docs) // the reads of templates and conditions, counted
	pipe := &pipeline.Pipeline{
		Rules: current, Outbox: outbox, Docs: docs, Lookup: lookup,
		Metrics: pipeMetrics, Log: log.With("component", "pipeline"),
		// While the committer is busy the next batch gathers up to BatchMax entries; at 1,000 the
		// reading stopped for a whole commit about once in five during a catch-up (keep-up
		// 0.42-0.49 of pg_recvlogical at 1,000, 0.56-0.64 at 4,000, same runs alternated).
		BatchMax: 4000, Linger: 50 * time.Millisecond,
		// At most 200 outbox commits a second: at 2,000 single-row transactions a second one
		// commit each cost the outbox's connection a quarter of a core, and one webhook fell to
		// 1,200-1,700 requests a second on the busy machine; 5 ms apart, 1,600-2,000 (see the
		// README's Benchmarks). A change waits at most 5 ms more.
		Spacing: 5 * time.Millisecond,
	}
	p := &parts{stream: &streamCfg, pipeline: pipe, housekeeping: time.Minute}
	if d.tune != nil {
		d.tune(p)
		workers.tune = p.worker
	}
	stream, err := cdc.NewStream(streamCfg)
	if err != nil {
		return err
	}
	pipe.Confirm = stream.Confirm
	newStateMetrics(reg, outbox, stream, log.With("component", "metrics"))

	g, gctx := errgroup.WithContext(ctx)
	// Work that must finish after a signal gets the grace period, not the signal.
	work, stopWork := grace.After(gctx, shutdownGrace)
	defer stopWork()

	items := make(chan cdc.Item, 256)
	g.Go(func() error {
		defer close(items)
		return stream.Run(gctx, items)
	})
	g.Go(func() error { return pipe.Run(work, items) })
	workers.reconcile(gctx, rs.Config()) // the site's language, from System Settings too
	g.Go(func() error { <-gctx.Done(); workers.wait(work); return nil })
	g.Go(func() error { return d.serveHTTP(gctx, cfg, reg, stream, outbox) })
	daily := &pipeline.Daily{Docs: docs, Lookup: lookup, Outbox: outbox, Log: log.With("component", "daily")}
	g.Go(func() error { return daily.Run(gctx, current) })
	minutes := &pipeline.Minutes{Docs: docs, Lookup: lookup, Outbox: outbox, Log: log.With("component", "minutes")}
	g.Go(func() error { return minutes.Run(gctx, current) })
	g.Go(func() error {
		return housekeeping(gctx, outbox, cfg.Delivery, p.housekeeping, log.With("component", "housekeeping"))
	})
	g.Go(func() error {
		for {
			select {
			case <-gctx.Done():
				return nil
			case <-d.reload:
				d.reloadRules(gctx, current, pool, docs, workers)
			}
		}
	})
	log.Info("walnotify running", "slot", cfg.Database.Slot, "publication", cfg.Database.Publication, "notifications", len(rs.Config().Notifications), "webhooks", len(cfg.Webhooks))
	err = g.Wait()
	log.Info("walnotify stopped", "confirmed", stream.Progress().Confirmed)
	if errors.Is(err, cdc.ErrNoPublication) {
		err = fmt.Errorf("%w; `walnotify setup` prints the statement that creates it", err)
	}
	return err
}

// prepare learns the database for cfg and logs the notifications it had to leave out.
func (d *daemon) prepare(ctx context.Context, cfg *rules.Config, pool *pgxpool.Pool, docs *erpdb.DB) (*pipeline.Rules, error) {
	rs, problems, err := pipeline.Prepare(ctx, cfg, pool, docs)
	if err != nil {
		return nil, err
	}
	for _, p := range problems {
		d.log.Error("notification disabled: "+p.Error(), "file", d.path)
	}
	for _, w := range rs.Warnings() {
		d.log.Warn(w)
	}
	return rs, nil
}

// reloadRules loads the rules file again; a bad file is rejected with its errors and the old
// rules keep running. Changes to [database] or [http] need a restart.
func (d *daemon) reloadRules(ctx context.Context, current *atomic.Pointer[pipeline.Rules], pool *pgxpool.Pool, docs *erpdb.DB, workers *workerSet) {
	cfg, err := rules.Load(d.path)
	if err != nil {
		d.reloaded(false)
		d.log.Error("reload rejected, the previous rules keep running", "file", d.path, "err", err.Error())
		return
	}
	old := current.Load().Config()
	if !sameDatabase(cfg.Database, old.Database) || *cfg.HTTP.Listen != *old.HTTP.Listen {
		d.log.Warn("changes to [database] and [http] take effect at the next restart", "file", d.path)
		cfg.Database, cfg.HTTP = old.Database, old.HTTP
	}
	if err := pipeline.CheckServer(d.serverVersion, cfg); err != nil {
		d.reloaded(false)
		d.log.Error("reload rejected, the previous rules keep running", "file", d.path, "err", err.Error())
		return
	}
	rs, err := d.prepare(ctx, cfg, pool, docs)
	if err != nil {
		d.reloaded(false)
		d.log.Error("reload rejected, the previous rules keep running", "file", d.path, "err", err.Error())
		return
	}
	d.reloaded(true)
	current.Store(rs)
	workers.reconcile(ctx, rs.Config())
	d.log.Info("rules reloaded", "file", d.path, "notifications", len(rs.Config().Notifications), "webhooks", len(cfg.Webhooks))
	warnPrerequisites(ctx, pool, cfg, d.log)
}

// sameDatabase compares two [database] sections by value.
func sameDatabase(a, b rules.Database) bool {
	pa, pb := *a.TablePrefix, *b.TablePrefix
	a.TablePrefix, b.TablePrefix = nil, nil
	return a == b && pa == pb
}

// waitForDatabase waits until the database answers, so that a daemon started with its database
// (systemd, containers) does not fail at once.
func waitForDatabase(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) error {
	for attempt := 1; ; attempt++ {
		err := pool.Ping(ctx)
		if err == nil {
			return nil
		}
		var pe interface{ SQLState() string }
		if errors.As(err, &pe) && (strings.HasPrefix(pe.SQLState(), "28") || pe.SQLState() == "3D000") {
			return fmt.Errorf("database: %w", err) // bad credentials or database: retrying will not help
		}
		wait := min(time.Duration(attempt)*time.Second, 15*time.Second)
		log.Warn("database unreachable; retrying", "err", err, "in", wait)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}
}

// warnPrerequisites says, at start and after a reload, what the rules need of the database
// that it lacks (a table outside the publication, REPLICA IDENTITY FULL, a grant), with the
// statement that fixes it: the daemon runs on, but those notifications would never fire or
// would lack data.
func warnPrerequisites(ctx context.Context, pool *pgxpool.Pool, cfg *rules.Config, log *slog.Logger) {
	for _, s := range prerequisites(ctx, pool, cfg) {
		log.Warn("database prerequisite unmet: "+s.Problem, "fix", s.FixText())
	}
}

// prerequisites are the unmet prerequisites the running daemon depends on, for run and status.
func prerequisites(ctx context.Context, pool *pgxpool.Pool, cfg *rules.Config) []prereq.Status {
	role, err := dsnUser(cfg.Database.DSN.Reveal())
	if err != nil {
		return nil
	}
	unmet, err := prereq.Unmet(ctx, pool, cfg, role, prereq.Grants, prereq.Publication, prereq.Identity)
	if err != nil {
		return []prereq.Status{{Problem: fmt.Sprintf("prerequisites not checked: %v", err)}}
	}
	return unmet
}

// workerSet runs one worker per webhook and restarts them when a reload changes webhooks.
type workerSet struct {
	outbox  *sender.Outbox
	log     *slog.Logger
	metrics *sender.Metrics
	tune    func(*sender.Worker)

	mu      sync.Mutex
	running map[string]*runningWorker
	wg      sync.WaitGroup
}

type runningWorker struct {
	webhook rules.Webhook
	stop    context.CancelFunc
}

// reconcile starts a worker for every webhook of cfg and stops those of removed or changed
// webhooks. Workers stop with ctx, after finishing a request in flight.
func (ws *workerSet) reconcile(ctx context.Context, cfg *rules.Config) {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	want := map[string]rules.Webhook{}
	for _, w := range cfg.DeliveryWebhooks() {
		want[w.Name] = w
	}
	for name, r := range ws.running {
		if w, ok := want[name]; !ok || !sameWebhook(w, r.webhook) {
			r.stop()
			delete(ws.running, name)
		}
	}
	labels := sender.LabelsFor(cfg.Site.Language)
	client := sender.NewClient(cfg.Delivery.Timeout.Duration)
	for name, w := range want {
		if _, ok := ws.running[name]; ok {
			continue
		}
		limit, burst := sender.DefaultRate(w.Service)
		if w.Rate > 0 {
			limit = rate.Limit(w.Rate)
		}
		if w.Burst > 0 {
			burst = w.Burst
		}
		wctx, cancel := context.WithCancel(ctx)
		r := &runningWorker{webhook: w, stop: cancel}
		wclient := client
		if w.Timeout > 0 {
			wclient = sender.NewClient(w.Timeout)
		}
		worker := &sender.Worker{
			Outbox: ws.outbox, Webhook: w.Name, Service: w.Service, URL: w.URL, Labels: labels,
			Client: wclient, Limiter: rate.NewLimiter(limit, burst), MaxAge: cfg.Delivery.MaxAge.Duration,
			DigestAfter: w.DigestAfter.Duration,
			Logger:      ws.log.With("component", "delivery"), Metrics: ws.metrics, Grace: shutdownGrace / 2,
		}
		if ws.tune != nil {
			ws.tune(worker)
		}
		ws.running[name] = r
		ws.wg.Add(1)
		go func() {
			defer ws.wg.Done()
			worker.Run(wctx)
		}()
	}
}

func sameWebhook(a, b rules.Webhook) bool {
	return a.Service == b.Service && a.URL.Reveal() == b.URL.Reveal() && a.Rate == b.Rate && a.Burst == b.Burst && a.ShowsLink() == b.ShowsLink() && a.Timeout == b.Timeout &&
		a.DigestAfter == b.DigestAfter
}

// wait waits for the workers to stop, at most until ctx ends (the shutdown grace).
func (ws *workerSet) wait(ctx context.Context) {
	done := make(chan struct{})
	go func() { ws.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		ws.log.Warn("delivery workers did not stop within the shutdown grace; their deliveries in flight are sent again at the next start")
	}
}

// serveHTTP serves /metrics and /healthz on http.listen until ctx ends.
func (d *daemon) serveHTTP(ctx context.Context, cfg *rules.Config, reg *prometheus.Registry, stream *cdc.Stream, outbox *sender.Outbox) error {
	addr := *cfg.HTTP.Listen
	if addr == "" {
		return nil
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("/readyz", func(w http.ResponseWriter, r *http.Request) {
		if err := ready(r.Context(), stream.Progress(), outbox); err != nil {
			http.Error(w, "not ready: "+err.Error(), http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		err := healthy(stream.Progress(), time.Now())
		if err == nil {
			err = outboxHealthy(r.Context(), outbox)
		}
		if err != nil {
			http.Error(w, "unhealthy: "+err.Error(), http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("http.listen %s: %w", addr, err)
	}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// staleAfter is how long replication may go without word from the server before /healthz fails.
const staleAfter = 45 * time.Second

// healthy reports whether replication is progressing: connected, and the server heard from
// recently (every status the stream sends asks the server for an answer).
func healthy(p cdc.Progress, now time.Time) error {
	switch {
	case p.LastMessage.IsZero():
		return errors.New("replication has not started")
	case now.Sub(p.LastMessage) > staleAfter:
		return fmt.Errorf("no replication message for %s", now.Sub(p.LastMessage).Round(time.Second))
	case !p.Connected:
		return errors.New("replication connection down")
	}
	return nil
}

// ready reports whether this instance does the work now: it streams the slot (a standby
// waiting for it is alive but not ready) and its outbox answers.
func ready(ctx context.Context, p cdc.Progress, outbox *sender.Outbox) error {
	if !p.Connected {
		return errors.New("not streaming the slot (starting, reconnecting, or a standby waiting for it)")
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if _, err := outbox.Position(ctx); err != nil {
		return fmt.Errorf("outbox unreachable: %w", err)
	}
	return nil
}

// outboxHealthy reports an outbox that cannot be read, and gaps no operator acknowledged:
// changes were lost, and a monitor should say so until someone has looked.
func outboxHealthy(ctx context.Context, outbox *sender.Outbox) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	gaps, err := outbox.OpenGaps(ctx)
	switch {
	case err != nil:
		return fmt.Errorf("outbox unreachable: %w", err)
	case len(gaps) > 0:
		g := gaps[0]
		return fmt.Errorf("%d unacknowledged gap(s): changes between %s and %s were never seen (%s); see walnotify status, then acknowledge with walnotify status --ack-gap", len(gaps), g.From, g.To, g.Reason)
	}
	return nil
}

// housekeeping keeps the outbox in shape: every interval (a minute) it recreates a dropped
// state schema or table and marks deliveries older than max_age dead; every hour it purges
// finished rows older than the retention.
func housekeeping(ctx context.Context, outbox *sender.Outbox, c rules.Delivery, every time.Duration, log *slog.Logger) error {
	t := time.NewTicker(every)
	defer t.Stop()
	var lastPurge time.Time
	for {
		if healed, err := outbox.Heal(ctx); err != nil && ctx.Err() == nil {
			log.Error("outbox state not checked", "err", err)
		} else if healed {
			log.Warn("outbox state schema or tables were missing and have been recreated")
		}
		if n, err := outbox.Expire(ctx, c.MaxAge.Duration); err != nil && ctx.Err() == nil {
			log.Warn("outbox expiry", "err", err)
		} else if n > 0 {
			log.Warn("deliveries expired: older than max_age, marked dead", "rows", n, "max_age", c.MaxAge.Duration.String())
		}
		if time.Since(lastPurge) >= time.Hour {
			if n, err := outbox.Purge(ctx, c.Retention.Duration); err != nil && ctx.Err() == nil {
				log.Warn("outbox purge", "err", err)
			} else {
				lastPurge = time.Now()
				if n > 0 {
					log.Info("outbox purged", "rows", n)
				}
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// startProfile starts a CPU profile written to path; the returned func ends and saves it.
func startProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}
