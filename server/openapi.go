package server

import _ "embed"

// openAPIDocument describes the API; a test keeps it in step with the routes.
//
//go:embed openapi.json
var openAPIDocument []byte
