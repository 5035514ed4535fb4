/** A user's application on the module path: it needs only cgd4j's engine module. */
module org.cgd4j.consumer {
    requires org.cgd4j.engine;
}
