package main

import (
	"time"

	inlet "github.com/inlet-data/inlet"
	"github.com/prometheus/client_golang/prometheus"
)

// ingestMetrics are the Prometheus series of the ingest worker.
type ingestMetrics struct {
	jobs     *prometheus.CounterVec
	rows     prometheus.Counter
	duration prometheus.Histogram
}

func newIngestMetrics(reg *prometheus.Registry) *ingestMetrics {
	m := &ingestMetrics{
		jobs: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "inlet_ingest_jobs_total", Help: "Ingest jobs by outcome."}, []string{"outcome"}),
		rows: prometheus.NewCounter(prometheus.CounterOpts{Name: "inlet_ingest_rows_total", Help: "Rows committed by ingest jobs."}),
		duration: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "inlet_ingest_duration_seconds", Help: "Ingest job duration.",
			Buckets: prometheus.ExponentialBuckets(0.1, 2, 14)}),
	}
	reg.MustRegister(m.jobs, m.rows, m.duration)
	return m
}

func (m *ingestMetrics) observe(j *inlet.Job, res *inlet.IngestResult, err error, took time.Duration) {
	if err != nil {
		m.jobs.WithLabelValues("failed").Inc()
		return
	}
	m.jobs.WithLabelValues("succeeded").Inc()
	m.rows.Add(float64(res.Rows))
	m.duration.Observe(took.Seconds())
}
