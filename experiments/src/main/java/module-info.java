/** The {@code cgd4j} command line: paper reproduction, tuning, plots and {@code doctor}. */
module org.cgd4j.experiments {
    requires org.cgd4j.engine;
    requires info.picocli;
    opens org.cgd4j.experiments to info.picocli;
}
