/** The names everything the demo creates goes by (docs/demo.md lists them). */
export const DEMO = {
  pipeline: "demo",
  repository: "demo-app",
  project: "demo-app-build",
  service: "web",
  clusters: ["integration", "production"] as const,
  integrationTest: "demo-integration-test",
  scaleService: "demo-scale-service",
} as const;
