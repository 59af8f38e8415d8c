/**
 * A small horizontal bar for a fraction. Drawn as SVG so its width is an attribute, not an inline
 * style (the CSP forbids inline styles).
 */
export function ShareBar({ fraction }: { fraction: number }) {
  const width = Math.max(0, Math.min(1, fraction)) * 100;
  return (
    <svg class="share-bar" viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true">
      <rect class="share-bar-track" x="0" y="0" width="100" height="8" rx="2" />
      {width > 0 && (
        <rect class="share-bar-fill" x="0" y="0" width={Math.max(width, 1)} height="8" rx="2" />
      )}
    </svg>
  );
}
