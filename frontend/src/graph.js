// Cytoscape.js as one ES module for the network view (api/static/vendor/cytoscape.js).
export { default } from "cytoscape";
