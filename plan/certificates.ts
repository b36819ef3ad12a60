/**
 * Certificates compared by public key. They live in the policy pack (policies/shared/certificates.ts), which must not
 * import from outside its folder to be publishable; the trust components and the pack share that one source.
 */
export * from "../policies/shared/certificates";
