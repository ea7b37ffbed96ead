export function TrainingScreen() {
  return (
    <div className="screen" data-testid="screen-training">
      <h1>Training</h1>
    </div>
  );
}
