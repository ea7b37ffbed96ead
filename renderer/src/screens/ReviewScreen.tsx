export function ReviewScreen() {
  return (
    <div className="screen" data-testid="screen-review">
      <h1>Review</h1>
    </div>
  );
}
