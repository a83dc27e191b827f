// Command terraform-provider-linode (schema stand-in) serves the Linode provider's schema, read
// from the embedded schema.json (the `terraform providers schema -json` format), and nothing else.
//
// Why it exists: the real provider (github.com/linode/terraform-provider-linode/v3) is refused
// by the Go module proxy this project may use, and no other reachable registry ships it. Terraform
// needs a provider binary for its schema even when every resource is mocked (`mock_provider` in
// `terraform test`), so this binary gives `terraform validate`, `terraform test` and tflint the
// schema of the resources this repository uses, transcribed from the provider's v3 source.
// It validates configuration shape (names, types, required/optional, block nesting); it does NOT
// run the real provider's value validators and it cannot create anything: every apply-side call
// fails with an error that says so. See docs/terraform.md.
package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"log"
	"sort"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

//go:embed schema.json
var schemaJSON []byte

const providerAddress = "registry.terraform.io/linode/linode"

// --- The JSON schema format (subset of `terraform providers schema -json`) -----------------

type jsonSchema struct {
	Version int64     `json:"version"`
	Block   jsonBlock `json:"block"`
}

type jsonBlock struct {
	Attributes map[string]jsonAttribute   `json:"attributes"`
	BlockTypes map[string]jsonNestedBlock `json:"block_types"`
}

type jsonAttribute struct {
	Type        json.RawMessage `json:"type"`
	NestedType  *jsonNestedType `json:"nested_type"`
	Description string          `json:"description"`
	Required    bool            `json:"required"`
	Optional    bool            `json:"optional"`
	Computed    bool            `json:"computed"`
	Sensitive   bool            `json:"sensitive"`
	Deprecated  bool            `json:"deprecated"`
	WriteOnly   bool            `json:"write_only"`
}

type jsonNestedType struct {
	Attributes  map[string]jsonAttribute `json:"attributes"`
	NestingMode string                   `json:"nesting_mode"`
}

type jsonNestedBlock struct {
	NestingMode string    `json:"nesting_mode"`
	Block       jsonBlock `json:"block"`
	MinItems    int64     `json:"min_items"`
	MaxItems    int64     `json:"max_items"`
}

type jsonProviderSchemas struct {
	ProviderSchemas map[string]struct {
		Provider        jsonSchema            `json:"provider"`
		ResourceSchemas map[string]jsonSchema `json:"resource_schemas"`
	} `json:"provider_schemas"`
}

// --- Conversion to the plugin protocol ------------------------------------------------------

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func convertAttribute(name string, a jsonAttribute) (*tfprotov6.SchemaAttribute, error) {
	out := &tfprotov6.SchemaAttribute{
		Name: name, Description: a.Description, Required: a.Required, Optional: a.Optional,
		Computed: a.Computed, Sensitive: a.Sensitive, Deprecated: a.Deprecated, WriteOnly: a.WriteOnly,
	}
	if a.NestedType != nil {
		nested := &tfprotov6.SchemaObject{}
		switch a.NestedType.NestingMode {
		case "single":
			nested.Nesting = tfprotov6.SchemaObjectNestingModeSingle
		case "list":
			nested.Nesting = tfprotov6.SchemaObjectNestingModeList
		case "set":
			nested.Nesting = tfprotov6.SchemaObjectNestingModeSet
		case "map":
			nested.Nesting = tfprotov6.SchemaObjectNestingModeMap
		default:
			return nil, fmt.Errorf("attribute %s: unknown nesting_mode %q", name, a.NestedType.NestingMode)
		}
		for _, key := range sortedKeys(a.NestedType.Attributes) {
			attr, err := convertAttribute(key, a.NestedType.Attributes[key])
			if err != nil {
				return nil, fmt.Errorf("%s.%w", name, err)
			}
			nested.Attributes = append(nested.Attributes, attr)
		}
		out.NestedType = nested
		return out, nil
	}
	t, err := tftypes.ParseJSONType(a.Type) //nolint:staticcheck // the JSON type format is exactly what we read
	if err != nil {
		return nil, fmt.Errorf("attribute %s: %w", name, err)
	}
	out.Type = t
	return out, nil
}

func convertBlock(b jsonBlock, version int64) (*tfprotov6.SchemaBlock, error) {
	out := &tfprotov6.SchemaBlock{Version: version}
	for _, name := range sortedKeys(b.Attributes) {
		attr, err := convertAttribute(name, b.Attributes[name])
		if err != nil {
			return nil, err
		}
		out.Attributes = append(out.Attributes, attr)
	}
	for _, name := range sortedKeys(b.BlockTypes) {
		nb := b.BlockTypes[name]
		inner, err := convertBlock(nb.Block, 0)
		if err != nil {
			return nil, fmt.Errorf("block %s: %w", name, err)
		}
		modes := map[string]tfprotov6.SchemaNestedBlockNestingMode{
			"single": tfprotov6.SchemaNestedBlockNestingModeSingle,
			"list":   tfprotov6.SchemaNestedBlockNestingModeList,
			"set":    tfprotov6.SchemaNestedBlockNestingModeSet,
			"map":    tfprotov6.SchemaNestedBlockNestingModeMap,
			"group":  tfprotov6.SchemaNestedBlockNestingModeGroup,
		}
		mode, ok := modes[nb.NestingMode]
		if !ok {
			return nil, fmt.Errorf("block %s: unknown nesting_mode %q", name, nb.NestingMode)
		}
		out.BlockTypes = append(out.BlockTypes, &tfprotov6.SchemaNestedBlock{
			TypeName: name, Block: inner, Nesting: mode, MinItems: nb.MinItems, MaxItems: nb.MaxItems,
		})
	}
	return out, nil
}

func loadSchema() (*tfprotov6.GetProviderSchemaResponse, error) {
	var doc jsonProviderSchemas
	if err := json.Unmarshal(schemaJSON, &doc); err != nil {
		return nil, fmt.Errorf("schema.json: %w", err)
	}
	entry, ok := doc.ProviderSchemas[providerAddress]
	if !ok {
		return nil, fmt.Errorf("schema.json: no provider_schemas[%q]", providerAddress)
	}
	providerBlock, err := convertBlock(entry.Provider.Block, entry.Provider.Version)
	if err != nil {
		return nil, fmt.Errorf("schema.json provider: %w", err)
	}
	resp := &tfprotov6.GetProviderSchemaResponse{
		Provider:          &tfprotov6.Schema{Version: entry.Provider.Version, Block: providerBlock},
		ResourceSchemas:   map[string]*tfprotov6.Schema{},
		DataSourceSchemas: map[string]*tfprotov6.Schema{},
		Functions:         map[string]*tfprotov6.Function{},
	}
	for _, name := range sortedKeys(entry.ResourceSchemas) {
		s := entry.ResourceSchemas[name]
		block, err := convertBlock(s.Block, s.Version)
		if err != nil {
			return nil, fmt.Errorf("schema.json %s: %w", name, err)
		}
		resp.ResourceSchemas[name] = &tfprotov6.Schema{Version: s.Version, Block: block}
	}
	return resp, nil
}

// --- The server -----------------------------------------------------------------------------

// stub answers the schema and validation calls; everything that would touch Linode fails.
// The embedded interface is nil: RPCs Terraform never sends to a schema-only provider panic,
// which the plugin framework reports as a provider crash rather than a silent success.
type stub struct {
	tfprotov6.ProviderServer
	schema *tfprotov6.GetProviderSchemaResponse
}

func notReal(what string) []*tfprotov6.Diagnostic {
	return []*tfprotov6.Diagnostic{{
		Severity: tfprotov6.DiagnosticSeverityError,
		Summary:  "schema stand-in cannot " + what,
		Detail: "This terraform-provider-linode is the schema-only stand-in built by " +
			".ci/install.d/50-terraform.sh for offline validation and mocked tests. " +
			"Use the registry's linode/linode provider to plan or apply against Linode.",
	}}
}

func (s *stub) GetMetadata(context.Context, *tfprotov6.GetMetadataRequest) (*tfprotov6.GetMetadataResponse, error) {
	resp := &tfprotov6.GetMetadataResponse{ServerCapabilities: &tfprotov6.ServerCapabilities{}}
	for _, name := range sortedKeys(s.schema.ResourceSchemas) {
		resp.Resources = append(resp.Resources, tfprotov6.ResourceMetadata{TypeName: name})
	}
	return resp, nil
}

func (s *stub) GetProviderSchema(context.Context, *tfprotov6.GetProviderSchemaRequest) (*tfprotov6.GetProviderSchemaResponse, error) {
	return s.schema, nil
}

func (s *stub) GetResourceIdentitySchemas(context.Context, *tfprotov6.GetResourceIdentitySchemasRequest) (*tfprotov6.GetResourceIdentitySchemasResponse, error) {
	return &tfprotov6.GetResourceIdentitySchemasResponse{IdentitySchemas: map[string]*tfprotov6.ResourceIdentitySchema{}}, nil
}

func (s *stub) GetFunctions(context.Context, *tfprotov6.GetFunctionsRequest) (*tfprotov6.GetFunctionsResponse, error) {
	return &tfprotov6.GetFunctionsResponse{Functions: map[string]*tfprotov6.Function{}}, nil
}

func (s *stub) ValidateProviderConfig(_ context.Context, req *tfprotov6.ValidateProviderConfigRequest) (*tfprotov6.ValidateProviderConfigResponse, error) {
	return &tfprotov6.ValidateProviderConfigResponse{PreparedConfig: req.Config}, nil
}

func (s *stub) ValidateResourceConfig(context.Context, *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return &tfprotov6.ValidateResourceConfigResponse{}, nil
}

func (s *stub) ValidateDataResourceConfig(context.Context, *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return &tfprotov6.ValidateDataResourceConfigResponse{}, nil
}

func (s *stub) ConfigureProvider(context.Context, *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	return &tfprotov6.ConfigureProviderResponse{Diagnostics: notReal("configure a Linode API client")}, nil
}

func (s *stub) StopProvider(context.Context, *tfprotov6.StopProviderRequest) (*tfprotov6.StopProviderResponse, error) {
	return &tfprotov6.StopProviderResponse{}, nil
}

// UpgradeResourceState: OpenTofu's mocks hand stored state back through the provider; the
// schema has one version, so the state is decoded as it is.
func (s *stub) UpgradeResourceState(_ context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	schema, ok := s.schema.ResourceSchemas[req.TypeName]
	if !ok {
		return nil, fmt.Errorf("unknown resource type %s", req.TypeName)
	}
	typ := schema.ValueType()
	value, err := req.RawState.UnmarshalWithOpts(typ, tfprotov6.UnmarshalOpts{ValueFromJSONOpts: tftypes.ValueFromJSONOpts{IgnoreUndefinedAttributes: true}})
	if err != nil {
		return nil, err
	}
	state, err := tfprotov6.NewDynamicValue(typ, value)
	if err != nil {
		return nil, err
	}
	return &tfprotov6.UpgradeResourceStateResponse{UpgradedState: &state}, nil
}

func (s *stub) PlanResourceChange(context.Context, *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return &tfprotov6.PlanResourceChangeResponse{Diagnostics: notReal("plan against Linode")}, nil
}

func (s *stub) ApplyResourceChange(context.Context, *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return &tfprotov6.ApplyResourceChangeResponse{Diagnostics: notReal("apply against Linode")}, nil
}

func (s *stub) ReadResource(context.Context, *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return &tfprotov6.ReadResourceResponse{Diagnostics: notReal("read from Linode")}, nil
}

func main() {
	schema, err := loadSchema()
	if err != nil {
		log.Fatal(err)
	}
	if err := tf6server.Serve(providerAddress, func() tfprotov6.ProviderServer {
		return &stub{schema: schema}
	}); err != nil {
		log.Fatal(err)
	}
}
