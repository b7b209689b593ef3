# The artifacts, from this root one directory further down than terraform/ (variables.tf's defaults are relative
# to terraform/).
dashboard_artifact = "../../dashboard-handler/target/dashboard-handler.jar"
sse_artifact       = "../../sse-handler/target/sse-handler.zip"
