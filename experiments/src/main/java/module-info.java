/** The {@code cgd4j} command line: paper reproduction, tuning, plots and {@code doctor}. */
// javac's requires-automatic lint flags XChart (an automatic module: Automatic-Module-Name in its
// manifest, no module-info); it is a plain library dependency and the CLI runs on the class path.
@SuppressWarnings("requires-automatic")
module org.cgd4j.experiments {
    requires org.cgd4j.engine;
    requires info.picocli;
    requires tools.jackson.databind;
    requires java.desktop;
    requires java.management; // the training thread's CPU time (digits)
    requires org.knowm.xchart;
    opens org.cgd4j.experiments to info.picocli;
    // `tune --spark`: the runner comes from the spark module when it is on the class path.
    uses org.cgd4j.experiments.tune.TrialRunner.Provider;
}
