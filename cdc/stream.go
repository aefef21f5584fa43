package cdc

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pglogrepl"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
)

// Config says where to stream from.
type Config struct {
	// DSN is an ordinary connection string; the replication connection adds
	// replication=database and the settings that fix the text form of values.
	DSN string
	// Slot is the permanent pgoutput slot, created if missing. Lower-case letters, digits
	// and underscores, at most 63.
	Slot string
	// Publication names the tables to stream. It must exist.
	Publication string
	// Temporary streams through a temporary slot with a fresh name (Slot, if set, is its
	// prefix) on every connection, for `walnotify tail`: the permanent slot is not touched,
	// nothing is resumed, and only what is committed after a connection starts is seen.
	Temporary bool
	// StatusInterval is how often the stream reports its position to the server (default 1s).
	StatusInterval time.Duration
	// ServerTimeout is how long the server may stay silent, although every status asks for
	// an answer, before the connection counts as dead (default 30s).
	ServerTimeout time.Duration
	// MinBackoff and MaxBackoff bound the wait before a reconnection, doubled after each
	// failure, with jitter (defaults 500ms and 30s).
	MinBackoff, MaxBackoff time.Duration
	// Resume, if set, returns the last position the consumer made durable itself (in its
	// outbox). Each connection starts at the latest of it, the slot's position and what this
	// Stream already confirmed: an acknowledgement lost in a crash causes no replay.
	Resume func(ctx context.Context) (pglogrepl.LSN, error)
	// OnGap, if set, is told of every range of WAL the slot can no longer stream although a
	// position was known (Resume, or what this Stream confirmed): the slot disappeared
	// (dropped, or missing on a new primary after a failover) and was created again. The
	// changes in that range are lost to walnotify; the stream goes on from the new slot. A
	// returned error ends the session, which is retried.
	OnGap func(ctx context.Context, g Gap) error
	// Logger receives connection events; nil discards them.
	Logger *slog.Logger
}

// Gap is a range of WAL the stream skipped because the slot no longer held it.
type Gap struct {
	Slot string
	// From is the last position known to be durable or confirmed; To is where the new slot
	// starts. Changes committed in between were never seen.
	From, To pglogrepl.LSN
}

// Reason describes the gap for logs and status.
func (g Gap) Reason() string {
	return fmt.Sprintf("replication slot %q was missing and has been created again; changes committed between %s and %s were not seen", g.Slot, g.From, g.To)
}

// Progress is a snapshot of a Stream's positions, for metrics and health checks.
type Progress struct {
	// Connected is true while the stream is replicating.
	Connected bool
	// Received is the end of the last transaction received.
	Received pglogrepl.LSN
	// Confirmed is the last position the consumer confirmed.
	Confirmed pglogrepl.LSN
	// Reported is the last position sent to the server as flushed.
	Reported pglogrepl.LSN
	// ServerWALEnd is the server's WAL position at its last keepalive.
	ServerWALEnd pglogrepl.LSN
	// LastMessage is when the server last sent anything; zero before it ever did.
	LastMessage time.Time
	// Gaps counts the ranges of WAL lost with the slot since the Stream was made.
	Gaps uint64
}

// Stream reads the changes of one publication through one slot. Run it once; call Confirm
// and Progress from any goroutine.
type Stream struct {
	cfg     Config
	connCfg *pgconn.Config
	log     *slog.Logger
	running atomic.Bool

	confirmed atomic.Uint64
	reported  atomic.Uint64
	received  atomic.Uint64
	walEnd    atomic.Uint64
	lastMsg   atomic.Int64 // unix nanoseconds
	connected atomic.Bool
	gaps      atomic.Uint64
	// unrecorded are gaps OnGap has not accepted yet (owned by the goroutine running Run).
	unrecorded []Gap
}

// NewStream checks cfg and prepares a stream; it connects only in Run.
func NewStream(cfg Config) (*Stream, error) {
	var errs []error
	connCfg, err := pgconn.ParseConfig(cfg.DSN)
	if err != nil {
		errs = append(errs, fmt.Errorf("dsn: %w", err))
	}
	switch {
	case cfg.Temporary && cfg.Slot == "":
	case !slotName.MatchString(cfg.Slot):
		errs = append(errs, fmt.Errorf("slot %q: want 1 to 63 lower-case letters, digits or underscores", cfg.Slot))
	}
	if cfg.Publication == "" || strings.ContainsRune(cfg.Publication, 0) {
		errs = append(errs, fmt.Errorf("publication %q: want a name", cfg.Publication))
	}
	setDefault(&cfg.StatusInterval, time.Second)
	setDefault(&cfg.ServerTimeout, 30*time.Second)
	setDefault(&cfg.MinBackoff, 500*time.Millisecond)
	setDefault(&cfg.MaxBackoff, 30*time.Second)
	if cfg.MaxBackoff < cfg.MinBackoff {
		errs = append(errs, fmt.Errorf("backoff: maximum %s below minimum %s", cfg.MaxBackoff, cfg.MinBackoff))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	// Startup settings apply to the walsender too and override database and role defaults:
	// values arrive in the text form decodeValue expects whatever the server's configuration.
	connCfg.RuntimeParams["replication"] = "database"
	connCfg.RuntimeParams["DateStyle"] = "ISO"
	connCfg.RuntimeParams["IntervalStyle"] = "postgres"
	connCfg.RuntimeParams["TimeZone"] = "UTC"
	connCfg.RuntimeParams["extra_float_digits"] = "3"
	connCfg.RuntimeParams["standard_conforming_strings"] = "on"
	if connCfg.ConnectTimeout == 0 {
		connCfg.ConnectTimeout = 10 * time.Second // a host that drops packets must not stall reconnection
	}
	if connCfg.RuntimeParams["application_name"] == "" {
		connCfg.RuntimeParams["application_name"] = "walnotify"
	}
	return &Stream{cfg: cfg, connCfg: connCfg, log: cfg.Logger}, nil
}

func setDefault(d *time.Duration, v time.Duration) {
	if *d <= 0 {
		*d = v
	}
}

// Confirm tells the stream that everything up to lsn (a KindCommit item's Tx.EndLSN) is
// durable on the consumer's side; the stream reports it to the server at its next status.
// Positions only move forward: an older lsn is ignored.
func (s *Stream) Confirm(lsn pglogrepl.LSN) { storeMax(&s.confirmed, lsn) }

// Progress returns the stream's current positions.
func (s *Stream) Progress() Progress {
	p := Progress{
		Connected:    s.connected.Load(),
		Received:     pglogrepl.LSN(s.received.Load()),
		Confirmed:    pglogrepl.LSN(s.confirmed.Load()),
		Reported:     pglogrepl.LSN(s.reported.Load()),
		ServerWALEnd: pglogrepl.LSN(s.walEnd.Load()),
		Gaps:         s.gaps.Load(),
	}
	if ns := s.lastMsg.Load(); ns != 0 {
		p.LastMessage = time.Unix(0, ns)
	}
	return p
}

func storeMax(v *atomic.Uint64, lsn pglogrepl.LSN) {
	for {
		cur := v.Load()
		if uint64(lsn) <= cur || v.CompareAndSwap(cur, uint64(lsn)) {
			return
		}
	}
}

// Run streams items to out until ctx is done (it then returns nil) or an error that
// reconnecting cannot cure (a missing publication, a refused login, a slot of another
// kind). Any other failure closes the connection and reconnects after a backoff, resuming at
// the confirmed position; a transaction that was partly delivered then arrives again from its
// KindBegin. Run never closes out.
func (s *Stream) Run(ctx context.Context, out chan<- Item) error {
	if !s.running.CompareAndSwap(false, true) {
		return errors.New("stream is already running")
	}
	defer s.running.Store(false)
	for attempt := 0; ; attempt++ {
		streamed, err := s.session(ctx, out)
		if ctx.Err() != nil {
			return nil
		}
		if isPermanent(err) {
			return err
		}
		if streamed {
			attempt = 0
		}
		wait := s.backoff(attempt)
		level := slog.LevelWarn
		if slotBusy(err) {
			level = slog.LevelInfo // a standby waiting for the active instance to go away
		}
		s.log.Log(ctx, level, "replication interrupted, reconnecting", "err", err, "wait", wait)
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return nil
		}
	}
}

// backoff is the wait before reconnection attempt n (from 0): MinBackoff doubled n times,
// capped at MaxBackoff, then drawn at random from its upper half.
func (s *Stream) backoff(n int) time.Duration {
	d := s.cfg.MaxBackoff
	if n < 32 {
		d = min(d, s.cfg.MinBackoff<<n)
	}
	return d/2 + rand.N(d/2+1)
}

// session runs one replication connection until it fails or ctx is done. streamed says
// whether the server sent anything, which resets the backoff.
func (s *Stream) session(ctx context.Context, out chan<- Item) (streamed bool, err error) {
	if s.cfg.Resume != nil && !s.cfg.Temporary {
		resume, err := s.cfg.Resume(ctx)
		if err != nil {
			return false, fmt.Errorf("resume position: %w", err)
		}
		s.Confirm(resume) // durable, so confirmed as far as the server is concerned
	}
	conn, err := pgconn.ConnectConfig(ctx, s.connCfg.Copy())
	if err != nil {
		return false, fmt.Errorf("connect: %w", err)
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		conn.Close(cctx)
	}()
	major, err := serverMajor(conn)
	if err != nil {
		return false, err
	}
	if err := checkPublication(ctx, conn, s.cfg.Publication); err != nil {
		return false, err
	}
	slot, start := s.cfg.Slot, pglogrepl.LSN(0)
	if s.cfg.Temporary {
		if slot, err = createTemporarySlot(ctx, conn, s.cfg.Slot); err != nil {
			return false, err
		}
	} else {
		slotLSN, created, err := ensureSlot(ctx, conn, slot)
		if err != nil {
			return false, err
		}
		known := max(pglogrepl.LSN(s.confirmed.Load()), pglogrepl.LSN(s.reported.Load()))
		if err := s.checkGap(ctx, slot, known, slotLSN, created); err != nil {
			return false, err
		}
		start = max(slotLSN, known)
	}
	err = pglogrepl.StartReplication(ctx, conn, slot, start, pglogrepl.StartReplicationOptions{
		Mode:       pglogrepl.LogicalReplication,
		PluginArgs: pluginArgs(major, s.cfg.Publication),
	})
	if err != nil {
		return false, fmt.Errorf("slot %q: start replication: %w", slot, err)
	}
	s.log.Info("replication started", "slot", slot, "start", start, "server_version", conn.ParameterStatus("server_version"))
	s.connected.Store(true)
	defer s.connected.Store(false)

	ss := &session{s: s, conn: conn, out: out, dec: newDecoder(), start: start, nextStatus: time.Now(), heard: time.Now()}
	ss.timer = time.NewTimer(time.Hour)
	ss.timer.Stop()
	stop := context.AfterFunc(ctx, ss.interrupt)
	defer stop()
	err = ss.loop(ctx)
	if ctx.Err() != nil {
		ss.sendStatus(false) // best effort: leave the last confirmed position with the server
	}
	return ss.streamed, err
}

// checkGap reports the WAL lost with the slot: the slot did not exist although a position
// was known, so it was dropped (or is missing on a new primary after a failover) and the one
// just created starts at today's WAL. A slot ahead of the known position is not counted: idle
// keepalives and other instances confirm positions that are never saved, so that is normal.
// A gap that OnGap could not record is kept and handed again at the next connection, before
// anything is streamed: the new slot will not show it a second time.
func (s *Stream) checkGap(ctx context.Context, slot string, known, slotLSN pglogrepl.LSN, created bool) error {
	if created && known != 0 && slotLSN > known {
		gap := Gap{Slot: slot, From: known, To: slotLSN}
		s.gaps.Add(1)
		s.log.Error("changes lost: "+gap.Reason(), "slot", slot, "from", gap.From.String(), "to", gap.To.String())
		s.unrecorded = append(s.unrecorded, gap)
	}
	for len(s.unrecorded) > 0 && s.cfg.OnGap != nil {
		if err := s.cfg.OnGap(ctx, s.unrecorded[0]); err != nil {
			return fmt.Errorf("record gap: %w", err)
		}
		s.unrecorded = s.unrecorded[1:]
	}
	return nil
}

// session is the state of one replication connection, owned by the goroutine running Run.
type session struct {
	s     *Stream
	conn  *pgconn.PgConn
	out   chan<- Item
	dec   *decoder
	start pglogrepl.LSN
	// walEnd is the WAL end of the last keepalive.
	walEnd     pglogrepl.LSN
	nextStatus time.Time
	// heard is when the server was last heard from, or when the stream started listening
	// again after waiting for its consumer.
	heard    time.Time
	timer    *time.Timer
	streamed bool

	// deadline is the socket read deadline, set by the owner and, once, by interrupt.
	mu          sync.Mutex
	deadline    time.Time
	interrupted bool
}

// interrupt wakes a blocked receive when the context ends.
func (ss *session) interrupt() {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	ss.interrupted = true
	ss.conn.Conn().SetReadDeadline(time.Now())
}

// setDeadline makes a receive return at t, the time of the next status. The socket deadline
// is used rather than a context per receive: a context costs pgconn a goroutine per message.
func (ss *session) setDeadline(t time.Time) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if !ss.interrupted && !t.Equal(ss.deadline) {
		ss.deadline = t
		ss.conn.Conn().SetReadDeadline(t)
	}
}

func (ss *session) loop(ctx context.Context) error {
	emit := func(it Item) error {
		if it.Kind == KindCommit {
			storeMax(&ss.s.received, it.Tx.EndLSN)
		}
		return ss.emit(ctx, it)
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		if !time.Now().Before(ss.nextStatus) {
			if err := ss.sendStatus(true); err != nil {
				return err
			}
		}
		ss.setDeadline(ss.nextStatus)
		msg, err := ss.conn.ReceiveMessage(context.Background())
		if err != nil {
			if !pgconn.Timeout(err) {
				return fmt.Errorf("receive: %w", err)
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			// Every status asks for an answer: silence means a dead peer the socket has
			// not noticed (a cut network sends no reset).
			if silent := time.Since(ss.heard); silent > ss.s.cfg.ServerTimeout {
				return fmt.Errorf("no message from the server for %s", silent.Round(time.Millisecond))
			}
			continue
		}
		now := time.Now()
		ss.heard = now
		ss.s.lastMsg.Store(now.UnixNano())
		switch msg := msg.(type) {
		case *pgproto3.CopyData:
			ss.streamed = true
			if err := ss.handle(msg.Data, emit); err != nil {
				return err
			}
		case *pgproto3.ErrorResponse:
			return pgconn.ErrorResponseToPgError(msg)
		case *pgproto3.CopyDone:
			return errors.New("server ended the replication stream")
		}
	}
}

// handle processes one CopyData message of the replication stream.
func (ss *session) handle(data []byte, emit func(Item) error) error {
	if len(data) == 0 {
		return errors.New("empty replication message")
	}
	switch data[0] {
	case pglogrepl.PrimaryKeepaliveMessageByteID:
		ka, err := pglogrepl.ParsePrimaryKeepaliveMessage(data[1:])
		if err != nil {
			return fmt.Errorf("keepalive: %w", err)
		}
		ss.walEnd = max(ss.walEnd, ka.ServerWALEnd)
		storeMax(&ss.s.walEnd, ka.ServerWALEnd)
		if ka.ReplyRequested {
			return ss.sendStatus(false)
		}
		return nil
	case pglogrepl.XLogDataByteID:
		xld, err := pglogrepl.ParseXLogData(data[1:])
		if err != nil {
			return fmt.Errorf("xlogdata: %w", err)
		}
		if err := ss.dec.decode(xld.WALStart, xld.WALData, emit); err != nil {
			return fmt.Errorf("at %s: %w", xld.WALStart, err)
		}
		return nil
	}
	return fmt.Errorf("unknown replication message %q", data[0])
}

// emit hands an item to the consumer. While the consumer is busy it keeps sending status on
// time, so the server still hears from the stream and backpressure never looks like a dead
// client.
func (ss *session) emit(ctx context.Context, it Item) error {
	select {
	case ss.out <- it:
		return nil
	default:
	}
	for {
		wait := time.Until(ss.nextStatus)
		if wait <= 0 {
			if err := ss.sendStatus(true); err != nil {
				return err
			}
			continue
		}
		ss.timer.Reset(wait)
		select {
		case ss.out <- it:
			ss.timer.Stop()
			ss.heard = time.Now() // not listening meanwhile: silence counts from now
			return nil
		case <-ss.timer.C:
		case <-ctx.Done():
			ss.timer.Stop()
			return ctx.Err()
		}
	}
}

// position is what the stream may report as flushed: what the consumer confirmed (or the
// start, itself durable), and, while nothing received awaits confirmation, the WAL end of the
// last keepalive, so that an idle publication does not pin WAL on a busy server.
func (ss *session) position() pglogrepl.LSN {
	confirmed := pglogrepl.LSN(ss.s.confirmed.Load())
	pos := max(ss.start, confirmed, pglogrepl.LSN(ss.s.reported.Load()))
	if !ss.dec.inTx && pglogrepl.LSN(ss.s.received.Load()) <= confirmed {
		pos = max(pos, ss.walEnd)
	}
	return pos
}

// sendStatus reports the position to the server, asking for a keepalive in return when
// replyRequested.
func (ss *session) sendStatus(replyRequested bool) error {
	pos := ss.position()
	err := pglogrepl.SendStandbyStatusUpdate(context.Background(), ss.conn, pglogrepl.StandbyStatusUpdate{
		WALWritePosition: pos,
		WALFlushPosition: pos,
		WALApplyPosition: pos,
		ReplyRequested:   replyRequested,
	})
	if err != nil {
		return fmt.Errorf("send status: %w", err)
	}
	storeMax(&ss.s.reported, pos)
	ss.nextStatus = time.Now().Add(ss.s.cfg.StatusInterval)
	return nil
}
