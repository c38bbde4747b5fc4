/** The tutorial's programs as runnable demos: a command line (picocli), plots (XChart) and an HTML report. */
module dev.deepprob.demos {
    requires dev.deepprob.prob;
    requires dev.deepprob.gpu;
    requires info.picocli;
    requires org.knowm.xchart;
    requires me.tongfei.progressbar;
    requires com.fasterxml.jackson.databind;
    requires java.desktop;
    requires java.management;
    exports dev.deepprob.demos;
    opens dev.deepprob.demos to info.picocli;
}
