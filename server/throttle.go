package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	inlet "github.com/inlet-data/inlet"
)

// Throttle counts failed attempts per key in the metadata store, so that
// every replica sees the same counts.
type Throttle interface {
	Failures(ctx context.Context, key string, window time.Duration) (int, time.Time, error)
	Fail(ctx context.Context, key string, window time.Duration) error
	ForgetFailures(ctx context.Context, key string) error
}

// backoff is how long a key waits after failures: nothing for the first
// few, then twice as long after each one, up to a cap.
type backoff struct {
	free int
	cap  time.Duration
}

// Failed sign-ins and invite acceptances back off per source and account
// together, per source and per account. The account's cap is short:
// guesses from elsewhere slow its owner's sign-in by seconds, never lock
// them out; a source guessing one account or many waits up to 15 minutes.
var (
	perPair    = backoff{free: 3, cap: 15 * time.Minute}
	perSource  = backoff{free: 10, cap: 15 * time.Minute}
	perAccount = backoff{free: 20, cap: 30 * time.Second}
)

// failureWindow forgets failures older than this.
const failureWindow = time.Hour

func (b backoff) wait(n int) time.Duration {
	if n < b.free {
		return 0
	}
	return min(time.Second<<min(n-b.free, 20), b.cap)
}

// attempt is the keys one try counts against.
type attempt map[string]backoff

func signInAttempt(ip, email string) attempt {
	acct := hashKey(email) // emails are personal data: keys hold a hash
	return attempt{"signin:pair:" + ip + ":" + acct: perPair, "signin:src:" + ip: perSource, "signin:acct:" + acct: perAccount}
}

func inviteAttempt(ip string) attempt {
	return attempt{"invite:src:" + ip: perPair}
}

func hashKey(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:12])
}

// throttled refuses an attempt while any of its keys must wait.
func (s *Server) throttled(ctx context.Context, a attempt) error {
	if s.Throttle == nil {
		return nil
	}
	var wait time.Duration
	for key, b := range a {
		n, last, err := s.Throttle.Failures(ctx, key, failureWindow)
		if err != nil {
			return err
		}
		if w := b.wait(n) - s.now().Sub(last); w > wait {
			wait = w
		}
	}
	if wait > 0 {
		return inlet.Errorf(inlet.ETOOMANY, "too many failed attempts: try again in %s", roundUp(wait))
	}
	return nil
}

// failed counts a failed attempt against all its keys.
func (s *Server) failed(ctx context.Context, a attempt) {
	if s.Throttle == nil {
		return
	}
	for key := range a {
		if err := s.Throttle.Fail(context.WithoutCancel(ctx), key, failureWindow); err != nil {
			s.Logger.Error("count a failed attempt", "err", err)
		}
	}
}

func roundUp(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%d seconds", int(d.Seconds())+1)
	}
	return fmt.Sprintf("%d minutes", int(d.Minutes())+1)
}
