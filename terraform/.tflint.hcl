# tflint for every root and module (tests/suites/50-terraform.sh runs it in each). The bundled
# terraform ruleset needs no download; there is no Linode ruleset to add.
config {
  call_module_type = "local"
}

plugin "terraform" {
  enabled = true
  # Every rule: naming, documented and typed variables/outputs, unused declarations, pinned
  # providers, the main/variables/outputs/versions file layout.
  preset = "all"
}
