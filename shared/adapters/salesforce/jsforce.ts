/**
 * The project's one runtime import of jsforce. The package index also loads the Streaming,
 * Metadata, SOAP, Chatter and Analytics APIs (and their cookie, websocket and MIME tables);
 * routing only needs REST core and Bulk API 2.0, so importing those alone keeps Lambda bundles
 * about half a megabyte smaller.
 */
import '@jsforce/jsforce-node/lib/api/bulk2.js';

export { Connection, OAuth2 } from '@jsforce/jsforce-node/lib/core.js';
// Bulk API 2.0 result pages carry their continuation in the Sforce-Locator header, which only HttpApi exposes.
export { HttpApi } from '@jsforce/jsforce-node/lib/http-api.js';
