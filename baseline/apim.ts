/**
 * API Management versions the kit and the pack agree on.
 */

/**
 * The API Management REST API version the kit's resources are declared with (azure-native's
 * `apimanagement/v20240501`), so what the kit checks (SKU names, policy fragments) is what Azure accepts.
 */
export const APIM_API_VERSION = "2024-05-01";

/**
 * The oldest control-plane API version the service may accept (`apiVersionConstraint.minApiVersion`):
 * older versions return secrets in GET responses. Source: Learn, "Azure API Management: prevent use of
 * API versions older than 2021-08-01".
 */
export const APIM_MIN_API_VERSION = "2021-08-01";
