// Interactive API docs: Swagger UI (the copy bundled with aws-lambda-powertools, served by
// this app from local files; no CDN) rendering the spec this app serves at openapi.json.
window.addEventListener("load", function () {
  SwaggerUIBundle({
    url: "openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    docExpansion: "list",
    filter: true,
    layout: "BaseLayout",
    presets: [SwaggerUIBundle.presets.apis],
    persistAuthorization: false,
  });
});
