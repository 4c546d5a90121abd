package server

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/export"
)

// ScheduleRunner runs one export of a schedule now (export.Scheduler).
type ScheduleRunner interface {
	Run(ctx context.Context, sch *inlet.ExportSchedule, at time.Time, actor string) (*inlet.Export, error)
}

// WebhookSecrets derives a schedule's webhook secret (export.Webhooks).
type WebhookSecrets interface {
	Secret(sch *inlet.ExportSchedule) string
}

func (s *Server) registerScheduleRoutes(r *gin.RouterGroup) {
	r.POST("/schedules", s.need(inlet.RoleAnalyst, s.createSchedule))
	r.GET("/schedules", s.need(inlet.RoleAnalyst, s.listSchedules))
	r.GET("/schedules/:id", s.need(inlet.RoleAnalyst, s.getSchedule))
	r.PATCH("/schedules/:id", s.need(inlet.RoleAnalyst, s.updateSchedule))
	r.DELETE("/schedules/:id", s.need(inlet.RoleAnalyst, s.deleteSchedule))
	r.POST("/schedules/:id/run", s.need(inlet.RoleAnalyst, s.runSchedule))
}

type scheduleRequest struct {
	Name       string              `json:"name"`
	Export     inlet.ExportRequest `json:"export"`
	Cadence    string              `json:"cadence"`
	Weekday    string              `json:"weekday"`
	At         string              `json:"at"`
	Zone       string              `json:"zone"`
	Keep       int                 `json:"keep"`
	WebhookURL string              `json:"webhook_url"`
}

// createSchedule checks a schedule's timing and the export it repeats (as
// its first run would make it) and stores it. The webhook's secret is in
// this response only.
func (s *Server) createSchedule(c *gin.Context) error {
	ctx := c.Request.Context()
	id := identity(c)
	var req scheduleRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	now := s.now()
	sch := &inlet.ExportSchedule{ID: "sch-" + uuid.Must(uuid.NewV7()).String(), Tenant: id.Tenant, Name: req.Name, Export: req.Export,
		Cadence: req.Cadence, Weekday: req.Weekday, At: req.At, Zone: req.Zone, Keep: req.Keep, WebhookURL: req.WebhookURL,
		WebhookSalt: export.NewSalt(), CreatedBy: id.User, CreatedAt: now}
	if err := sch.Validate(); err != nil {
		return err
	}
	if err := s.checkWebhookHost(sch.WebhookURL); err != nil {
		return err
	}
	if sch.WebhookURL != "" && s.WebhookSecrets == nil {
		return withField(inlet.Errorf(inlet.EINVALID, "this server does not call webhooks"), "webhook_url")
	}
	if _, err := s.exportQueue().Build(ctx, id.Tenant, id.User, sch.Export, now); err != nil {
		return underField(err, "export.")
	}
	var err error
	if sch.NextRunAt, err = sch.Next(now); err != nil {
		return err
	}
	if err := s.Schedules.CreateSchedule(ctx, sch); err != nil {
		return err
	}
	if err := s.audit(c, "schedule.create", "schedule:"+sch.ID, "ok", scheduleDetail(sch)); err != nil {
		return err
	}
	out := gin.H{"schedule": sch}
	if sch.WebhookURL != "" {
		out["webhook_secret"] = s.WebhookSecrets.Secret(sch)
	}
	c.JSON(http.StatusCreated, out)
	return nil
}

func scheduleDetail(sch *inlet.ExportSchedule) map[string]any {
	return map[string]any{"cadence": sch.Cadence, "weekday": sch.Weekday, "at": sch.At, "zone": sch.Zone, "keep": sch.Keep,
		"webhook": sch.WebhookURL != "", "format": sch.Export.Format, "template": sch.Export.Source.TemplateID, "customers": len(sch.Export.ShareWith)}
}

func (s *Server) listSchedules(c *gin.Context) error {
	out, err := s.Schedules.Schedules(c.Request.Context(), identity(c).Tenant)
	if err != nil {
		return err
	}
	if out == nil {
		out = []*inlet.ExportSchedule{}
	}
	c.JSON(http.StatusOK, gin.H{"schedules": out})
	return nil
}

func (s *Server) loadSchedule(c *gin.Context) (*inlet.ExportSchedule, error) {
	return s.Schedules.Schedule(c.Request.Context(), identity(c).Tenant, c.Param("id"))
}

func (s *Server) getSchedule(c *gin.Context) error {
	sch, err := s.loadSchedule(c)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, sch)
	return nil
}

// updateSchedule pauses or resumes a schedule, or changes its timing or
// keep; its next run is worked out again from now.
func (s *Server) updateSchedule(c *gin.Context) error {
	sch, err := s.loadSchedule(c)
	if err != nil {
		return err
	}
	var body struct {
		Paused  *bool   `json:"paused"`
		Keep    *int    `json:"keep"`
		Cadence *string `json:"cadence"`
		Weekday *string `json:"weekday"`
		At      *string `json:"at"`
		Zone    *string `json:"zone"`
	}
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&sch.Cadence, body.Cadence)
	set(&sch.Weekday, body.Weekday)
	set(&sch.At, body.At)
	set(&sch.Zone, body.Zone)
	if body.Paused != nil {
		sch.Paused = *body.Paused
	}
	if body.Keep != nil {
		if *body.Keep == 0 {
			return withField(inlet.Errorf(inlet.EINVALID, "keep from 1 to %d exports, not 0", inlet.ScheduleMaxKeep), "keep")
		}
		sch.Keep = *body.Keep
	}
	if err := sch.Validate(); err != nil {
		return err
	}
	if err := s.checkWebhookHost(sch.WebhookURL); err != nil {
		return err
	}
	if sch.NextRunAt, err = sch.Next(s.now()); err != nil {
		return err
	}
	if err := s.Schedules.UpdateSchedule(c.Request.Context(), sch); err != nil {
		return err
	}
	if err := s.audit(c, "schedule.update", "schedule:"+sch.ID, "ok", scheduleDetail(sch)); err != nil {
		return err
	}
	c.JSON(http.StatusOK, sch)
	return nil
}

// deleteSchedule stops a schedule; the exports it made stay until they
// expire or are deleted.
func (s *Server) deleteSchedule(c *gin.Context) error {
	sch, err := s.loadSchedule(c)
	if err != nil {
		return err
	}
	if err := s.Schedules.DeleteSchedule(c.Request.Context(), sch.Tenant, sch.ID); err != nil {
		return err
	}
	if err := s.audit(c, "schedule.delete", "schedule:"+sch.ID, "ok", nil); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

// runSchedule makes one export of a schedule now, paused or not; its
// regular runs stay as they were.
func (s *Server) runSchedule(c *gin.Context) error {
	sch, err := s.loadSchedule(c)
	if err != nil {
		return err
	}
	if s.Scheduler == nil {
		return inlet.Errorf(inlet.EINTERNAL, "this server runs no schedules")
	}
	e, err := s.Scheduler.Run(c.Request.Context(), sch, s.now(), identity(c).User)
	if err != nil {
		return underField(err, "export.")
	}
	c.JSON(http.StatusCreated, e)
	return nil
}

// underField prefixes the fields an error names: a schedule's export
// request is its "export" field.
func underField(err error, prefix string) error {
	var e *inlet.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	out := &inlet.Error{Code: e.Code, Message: e.Message, Fields: map[string]string{}}
	for k, v := range e.Fields {
		out.Fields[prefix+k] = v
	}
	return out
}

// checkWebhookHost refuses a webhook on this machine unless the server
// allows it (WebhookLoopback, for development): a schedule must not make
// the server call the services beside it.
func (s *Server) checkWebhookHost(raw string) error {
	if raw == "" || s.WebhookLoopback || !inlet.WebhookToLoopback(raw) {
		return nil
	}
	return withField(inlet.Errorf(inlet.EINVALID, "this server does not call webhooks on its own machine: give a public https URL (a server started with --webhook-allow-loopback does, for development)"), "webhook_url")
}
