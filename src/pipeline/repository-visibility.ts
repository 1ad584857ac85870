/**
 * Who can see the repository. It decides what the publish workflow can attest: GitHub's artifact
 * attestations work on every plan for public repositories, and need GitHub Enterprise Cloud for private
 * and internal ones. Synthesis cannot know the repository's plan, so it asks instead of guessing.
 */
export enum RepositoryVisibility {
  /** A public repository: build provenance and an SBOM are attested by default. */
  PUBLIC = 'public',
  /** A private repository: attestations need GitHub Enterprise Cloud; choose `provenanceAttestation` explicitly. */
  PRIVATE = 'private',
  /** An internal repository (an enterprise's): as private. */
  INTERNAL = 'internal',
}
