/**
 * IPv4 CIDR helpers for the planners. They live in the policy pack (policies/shared/cidr.ts), which must not
 * import from outside its folder to be publishable; the planners and the pack share that one source.
 */
export * from "../policies/shared/cidr";
