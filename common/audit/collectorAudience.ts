// The audience of the access tokens the collector accepts as enrollment proof: the
// resource indicator (RFC 8707) Cordon asks the practice's IdP for. One value for now;
// a policy field would let IT name their own.
export const COLLECTOR_AUDIENCE = 'urn:cordon:collector';
